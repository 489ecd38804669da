// Sysmon events as Winlogbeat ships them: winlog.event_data as Windows named it and, once Winlogbeat's sysmon
// module has processed the event (7.x in the beat), some of it moved to ECS fields (process.*, user.*, registry.*).
import { malformedEvent, sysmonProvider, type SysmonEventResult } from './sysmon-event.js';

type JsonObject = Record<string, unknown>;

export function readWinlogbeatEvent(json: string): SysmonEventResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    return malformedEvent(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(parsed)) return malformedEvent('JSON is not an object, so not a Winlogbeat event');
  const winlog = objectAt(parsed, 'winlog');
  if (!winlog) return malformedEvent('JSON has no "winlog" object, so not a Winlogbeat event');
  const provider = field(winlog, 'provider_name');
  if (provider !== undefined && provider !== sysmonProvider) {
    return malformedEvent(`winlog.provider_name ${JSON.stringify(provider)} is not ${sysmonProvider}`);
  }
  const eventId = integerOf(field(winlog, 'event_id'));
  if (eventId === undefined) return malformedEvent('winlog.event_id is missing or not a number');

  const data = new Map<string, string>();
  for (const [name, value] of Object.entries(objectAt(winlog, 'event_data') ?? {})) {
    const text = typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
    if (text !== undefined) data.set(name, text);
  }
  fillFromEcs(parsed, data);
  const computer = stringAt(winlog, 'computer_name') ?? stringAt(objectAt(parsed, 'host'), 'name');
  const timestamp = stringAt(parsed, '@timestamp');
  return {
    ok: true,
    event: {
      eventId,
      data,
      ...(computer === undefined || computer === '' ? {} : { computer }),
      ...(timestamp === undefined ? {} : { loggedAt: { field: '@timestamp', text: timestamp } }),
    },
  };
}

/** The event data Winlogbeat's sysmon module renamed to ECS fields, put back under Sysmon's names. */
function fillFromEcs(event: JsonObject, data: Map<string, string>): void {
  const setIfAbsent = (name: string, value: string | undefined): void => {
    if (value !== undefined && !data.has(name)) data.set(name, value);
  };
  const process = objectAt(event, 'process');
  setIfAbsent('Image', stringAt(process, 'executable'));
  const pid = integerOf(field(process, 'pid'));
  setIfAbsent('ProcessId', pid === undefined ? undefined : String(pid));
  // user.* holds the event's User; winlog.user is the account Sysmon runs as, never the one who changed the value.
  const user = objectAt(event, 'user');
  const userName = stringAt(user, 'name');
  const domain = stringAt(user, 'domain');
  setIfAbsent('User', userName === undefined ? undefined : domain === undefined ? userName : `${domain}\\${userName}`);
  const registry = objectAt(event, 'registry');
  setIfAbsent('TargetObject', stringAt(registry, 'path'));
  const strings = field(objectAt(registry, 'data'), 'strings');
  if (Array.isArray(strings) && strings.length === 1 && typeof strings[0] === 'string') setIfAbsent('Details', strings[0]);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(object: JsonObject | undefined, key: string): unknown {
  return object !== undefined && Object.hasOwn(object, key) ? object[key] : undefined;
}

function objectAt(object: JsonObject | undefined, key: string): JsonObject | undefined {
  const value = field(object, key);
  return isObject(value) ? value : undefined;
}

function stringAt(object: JsonObject | undefined, key: string): string | undefined {
  const value = field(object, key);
  return typeof value === 'string' ? value : undefined;
}

/** Winlogbeat 7 writes event ids and pids as numbers, Winlogbeat 8 event ids as strings. */
function integerOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === 'string' && /^[0-9]{1,15}$/.test(value)) return Number(value);
  return undefined;
}
