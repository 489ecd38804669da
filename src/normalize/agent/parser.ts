// modtrail agent events (modtrail.agent/v1) → audit records: a Go setting changed or unset on a developer
// machine, or a snapshot of all of them.
import type { ParseContext, ParseResult, Parser } from '../../core/component.js';
import type { AuditRecord } from '../../core/record.js';
import { buildRecord, observerOf, type RecordFields } from '../record-base.js';
import { parseRfc3339 } from '../rfc3339.js';
import type { AgentEventV1, GoenvChangeV1, GoenvSnapshotV1 } from './agent-event.js';
import { readAgentEvent } from './read-event.js';

export const agentParser: Parser = {
  format: 'agent',
  parse(raw: string, context: ParseContext): ParseResult {
    if (raw.trim() === '') return { ok: false, rejection: { code: 'parse.empty', reason: 'empty message' } };
    const read = readAgentEvent(raw);
    if (!read.ok) return read;
    const { event } = read;
    const time = parseRfc3339(event.time);
    if (time === undefined) return { ok: false, rejection: { code: 'parse.bad_timestamp', reason: 'time: not an RFC 3339 time' } };
    const record = event.kind === 'goenv.change' ? changeRecord(raw, context, time, event) : snapshotRecord(raw, context, time, event);
    return { ok: true, record };
  },
};

function changeRecord(raw: string, context: ParseContext, time: Date, event: GoenvChangeV1): AuditRecord {
  return buildRecord(raw, context, time, {
    event: {
      kind: 'event',
      category: ['configuration'],
      type: ['change'],
      action: event.value === null ? 'goenv.unset' : 'goenv.changed',
      outcome: 'success',
      dataset: 'agent.goenv',
      module: 'modtrail-agent',
    },
    ...reporterFields(event, context),
    goenv: {
      name: event.name,
      ...(event.value === null ? {} : { value: event.value }),
      ...(event.previous_value === null ? {} : { previous_value: event.previous_value }),
      scope: event.scope,
      mechanism: event.mechanism,
      ...(event.managed_by === undefined ? {} : { managed_by: event.managed_by }),
    },
  });
}

/** A snapshot: every setting that is set, with where it came from, so drift from the baseline can be judged. */
function snapshotRecord(raw: string, context: ParseContext, time: Date, event: GoenvSnapshotV1): AuditRecord {
  const settings = Object.fromEntries(Object.entries(event.settings).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return buildRecord(raw, context, time, {
    event: {
      kind: 'event',
      category: ['configuration'],
      type: ['info'],
      action: 'goenv.snapshot',
      outcome: 'success',
      dataset: 'agent.goenv',
      module: 'modtrail-agent',
    },
    ...reporterFields(event, context),
    goenv: {
      settings,
      sources: { ...event.source },
      scope: event.scope,
      mechanism: event.mechanism,
      ...(event.managed_by === undefined ? {} : { managed_by: event.managed_by }),
    },
    message: settingsList(event.settings),
  });
}

/** `NAME=value` a line, in the order `go env` prints them; a value with control characters is quoted. */
export function settingsList(settings: Readonly<Record<string, string | undefined>>): string {
  return Object.entries(settings)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${/[\u0000-\u001f\u007f]/.test(value) ? JSON.stringify(value) : value}`)
    .join('\n');
}

/** ECS names the Apple operating system `macos`; the agent reports Go's GOOS, `darwin`. */
const ecsOsType = { windows: 'windows', linux: 'linux', darwin: 'macos' } as const;

/** Who and what reported the event: the machine, the user, the agent and the process that made the change. */
function reporterFields(event: AgentEventV1, context: ParseContext): Omit<RecordFields, 'event'> {
  const { host, user, agent, process } = event;
  return {
    observer: observerOf({ vendor: 'modtrail', product: 'modtrail-agent', type: 'agent' }, context),
    host: { name: host.name, ...(host.ip === undefined || host.ip.length === 0 ? {} : { ip: [...host.ip] }), os: { type: ecsOsType[host.os] } },
    user: { name: user.name, ...(user.domain === undefined ? {} : { domain: user.domain }) },
    agent: { name: agent.name, version: agent.version, ...(agent.id === undefined ? {} : { id: agent.id }), type: 'modtrail-agent' },
    ...(process === undefined
      ? {}
      : { process: { executable: process.executable, ...(process.pid === undefined ? {} : { pid: process.pid }) } }),
    ...(event.event_id === undefined ? {} : { modtrail: { agent_event_id: event.event_id } }),
  };
}
