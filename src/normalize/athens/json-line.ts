// Athens's JSON logs: logrus's JSONFormatter up to v0.17 (keys sorted; "severity"/"message"/"timestamp"
// under the GCP formatter) and slog's JSONHandler from v0.18.
import { parseRfc3339 } from '../rfc3339.js';
import { JsonFields, levelOf, rejectEntry, type EntryResult } from './log-entry.js';

export function readJsonLine(line: string): EntryResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    return rejectEntry('parse.malformed', `not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const kind = parsed === null ? 'null' : Array.isArray(parsed) ? 'array' : typeof parsed;
    return rejectEntry('parse.malformed', `JSON ${kind} is not a log object`);
  }
  const fields = new JsonFields(parsed as Record<string, unknown>);
  const message = fields.get('msg') ?? fields.get('message');
  if (typeof message !== 'string') return rejectEntry('parse.malformed', 'JSON object has no "msg" string');
  const timeText = fields.get('time') ?? fields.get('timestamp');
  if (typeof timeText !== 'string') return rejectEntry('parse.bad_timestamp', 'JSON object has no "time" string');
  const time = parseRfc3339(timeText);
  if (!time) return rejectEntry('parse.bad_timestamp', `"time" ${JSON.stringify(timeText)} is not an RFC 3339 timestamp`);
  const level = levelOf(fields.get('level') ?? fields.get('severity'));
  return { ok: true, entry: level === undefined ? { time, message, fields } : { time, message, fields, level } };
}
