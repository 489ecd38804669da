// Sysmon registry value sets (event ID 13) → audit records: a Go setting written to the machine's or a user's
// environment becomes a goenv change; every other value set is kept as a plain registry record, never dropped.
import type { ParseContext, ParseResult, Parser } from '../../core/component.js';
import type { AuditRecord } from '../../core/record.js';
import { buildRecord, observerOf } from '../record-base.js';
import { eventTime } from './event-time.js';
import { registryData } from './registry-data.js';
import { goSettingAt, splitTarget } from './registry-target.js';
import { readRenderedEvent } from './rendered-event.js';
import type { SysmonEvent } from './sysmon-event.js';
import { readWinlogbeatEvent } from './winlogbeat-event.js';

const valueSetEventId = 13;

export const sysmonParser: Parser = {
  format: 'sysmon',
  parse(raw: string, context: ParseContext): ParseResult {
    const text = raw.trim();
    if (text === '') return { ok: false, rejection: { code: 'parse.empty', reason: 'empty event' } };
    const read = text.startsWith('<') ? readRenderedEvent(text) : text.startsWith('{') ? readWinlogbeatEvent(text) : undefined;
    if (read === undefined) return malformed('neither Windows event XML nor Winlogbeat JSON');
    if (!read.ok) return read;
    return valueSetRecord(raw, context, read.event);
  },
};

function valueSetRecord(raw: string, context: ParseContext, event: SysmonEvent): ParseResult {
  if (event.eventId !== valueSetEventId) {
    return malformed(`event id ${event.eventId} is not ${valueSetEventId} (Sysmon RegistryEvent, value set)`);
  }
  const eventType = event.data.get('EventType');
  if (eventType !== undefined && eventType !== 'SetValue') return malformed(`EventType ${JSON.stringify(eventType)} is not SetValue`);
  const time = eventTime(event);
  if (!time.ok) return time;
  const path = event.data.get('TargetObject');
  if (path === undefined || path === '') return malformed('no TargetObject: the event does not name the registry value');

  const details = event.data.get('Details');
  const data = details === undefined ? undefined : registryData(details);
  const setting = goSettingAt(path);
  const value = data?.strings?.[0];
  return {
    ok: true,
    record: buildRecord(raw, context, time.time, {
      event: {
        kind: 'event',
        // ECS 8.17 has a registry category; Winlogbeat's sysmon module files value sets under both.
        category: ['configuration', 'registry'],
        type: ['change'],
        action: setting === undefined ? 'registry.value_set' : 'goenv.changed',
        outcome: 'success',
        dataset: 'sysmon.registry',
        module: 'sysmon',
      },
      observer: observerOf({ vendor: 'Microsoft', product: 'Sysmon', type: 'agent' }, context),
      ...(event.computer === undefined ? {} : { host: { name: event.computer } }),
      ...userOf(event.data.get('User')),
      ...processOf(event.data.get('Image'), event.data.get('ProcessId')),
      registry: { ...splitTarget(path), path, ...(data === undefined ? {} : { data }) },
      ...(setting === undefined
        ? {}
        : { goenv: { name: setting.name, ...(value === undefined ? {} : { value }), scope: setting.scope } }),
    }),
  };
}

/** Sysmon's User is DOMAIN\name (NT AUTHORITY\SYSTEM, CORP\jdoe). */
function userOf(user: string | undefined): Pick<AuditRecord, 'user'> {
  if (user === undefined || user === '' || user === '-') return {};
  const parts = user.split('\\');
  const [domain, name] = parts;
  if (parts.length === 2 && domain !== undefined && domain !== '' && name !== undefined && name !== '') {
    return { user: { name, domain } };
  }
  return { user: { name: user } };
}

function processOf(image: string | undefined, processId: string | undefined): Pick<AuditRecord, 'process'> {
  if (image === undefined || image === '' || image === '-') return {};
  const name = image.slice(image.lastIndexOf('\\') + 1);
  const pid = processId !== undefined && /^[0-9]{1,15}$/.test(processId) ? Number(processId) : undefined;
  return { process: { executable: image, ...(name === '' ? {} : { name }), ...(pid === undefined ? {} : { pid }) } };
}

function malformed(reason: string): ParseResult {
  return { ok: false, rejection: { code: 'parse.malformed', reason } };
}
