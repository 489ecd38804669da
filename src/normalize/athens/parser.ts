// Athens (gomods/athens) log lines → audit records: "incoming request" lines are module downloads and
// lookups; every other line is kept as a process log line, never mistaken for a download.
import type { ParseContext, ParseResult, Parser } from '../../core/component.js';
import type { AuditRecord, EventOutcome } from '../../core/record.js';
import { readProxyPath } from '../goproxy-path/goproxy-path.js';
import { finishRecord, observerOf, proxyFacts, startRecord, type EventFields } from '../record-base.js';
import { stripAnsi } from '../terminal-colour.js';
import { readJsonLine } from './json-line.js';
import type { AthensEntry } from './log-entry.js';
import { readTextLine } from './text-line.js';

const accessMessage = 'incoming request';
const errorLevels = /^(?:error|err|fatal|panic|critical|crit|alert|emergency)\b/;

export const athensParser: Parser = {
  format: 'athens',
  parse(raw: string, context: ParseContext): ParseResult {
    if (raw.trim() === '') return { ok: false, rejection: { code: 'parse.empty', reason: 'empty line' } };
    const read = /^\s*[{["]/.test(raw) ? readJsonLine(raw) : readTextLine(raw, context.receivedAt);
    if (read === undefined) {
      return { ok: false, rejection: { code: 'parse.malformed', reason: 'neither JSON nor an Athens text log line' } };
    }
    if (!read.ok) return read;
    const { entry } = read;
    if (entry.message.trim() !== accessMessage) return { ok: true, record: logRecord(raw, context, entry) };
    const path = entry.fields.get('http-path');
    if (typeof path !== 'string' || path === '') {
      return { ok: false, rejection: { code: 'parse.malformed', reason: 'incoming request line without http-path' } };
    }
    return { ok: true, record: accessRecord(raw, context, entry, path) };
  },
};

// Records are assembled in place with plain assignments rather than `...(cond ? {} : {...})` spreads: the keys and
// their order are the same, and a spread followed by further keys is a slow path in V8.

function accessRecord(raw: string, context: ParseContext, entry: AthensEntry, path: string): AuditRecord {
  const request = readProxyPath(path);
  const method = stringField(entry, 'http-method');
  const status = statusCode(entry.fields.get('http-status'));
  const requestId = stringField(entry, 'request-id');
  const event: EventFields = {
    kind: 'event',
    category: ['web', 'package'],
    type: ['access'],
    action: request.action,
    outcome: outcomeOf(status),
    dataset: 'athens.access',
    module: 'athens',
  };
  const record = startRecord(entry.time, observerOf({ vendor: 'gomods', product: 'athens', type: 'proxy' }, context));
  if (method !== undefined || status !== undefined) {
    const http: NonNullable<AuditRecord['http']> = {};
    if (method !== undefined) http.request = { method };
    if (status !== undefined) http.response = { status_code: status };
    record.http = http;
  }
  record.url = { path };
  if (requestId !== undefined) record.trace = { id: requestId };
  return finishRecord(record, raw, context, event, proxyFacts(record, request));
}

function logRecord(raw: string, context: ParseContext, entry: AthensEntry): AuditRecord {
  const method = stringField(entry, 'http-method');
  const path = entry.fields.get('http-path');
  const requestId = stringField(entry, 'request-id');
  const isError = entry.level !== undefined && errorLevels.test(entry.level);
  const event: EventFields = {
    kind: 'event',
    category: ['process'],
    type: [isError ? 'error' : 'info'],
    action: 'proxy.log',
    outcome: 'unknown',
    dataset: 'athens.log',
    module: 'athens',
  };
  const record = startRecord(entry.time, observerOf({ vendor: 'gomods', product: 'athens', type: 'proxy' }, context));
  record.message = entry.message;
  if (entry.level !== undefined) record.log = { level: entry.level };
  // A line logged while serving a request keeps the request's id and path, to be joined with its access record.
  if (method !== undefined) record.http = { request: { method } };
  if (typeof path === 'string' && path !== '') record.url = { path };
  if (requestId !== undefined) record.trace = { id: requestId };
  return finishRecord(record, raw, context, event);
}

function stringField(entry: AthensEntry, key: string): string | undefined {
  const value = entry.fields.get(key);
  if (typeof value !== 'string') return undefined;
  const text = stripAnsi(value).trim();
  return text === '' ? undefined : text;
}

/** Athens logs the status as text, coloured when its output was a terminal; slog may write a number. */
function statusCode(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? stripAnsi(value).trim() : '';
  if (!/^[1-5][0-9]{2}$/.test(text)) return undefined;
  return Number(text);
}

function outcomeOf(status: number | undefined): EventOutcome {
  if (status === undefined) return 'unknown';
  return status < 400 ? 'success' : 'failure';
}
