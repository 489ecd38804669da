// One artifactory-request.log line (Artifactory 7.x) read into its eleven pipe-separated fields, each checked:
// Timestamp|Trace ID|Remote Address|Username|Request method|Request URL|Return Status|
// Request Content Length|Response Content Length|Request Duration (ms)|Request User Agent
import type { Rejection } from '../../core/component.js';
import { withoutLineBreak } from '../line-break.js';
import { parseRfc3339 } from '../rfc3339.js';

export const requestFieldCount = 11;

export interface RequestLine {
  time: Date;
  traceId: string;
  remoteAddress: string;
  username: string;
  method: string;
  /** The request URL as logged: a path relative to the Artifactory context, possibly with a query; may be empty. */
  url: string;
  status: number;
  /** Undefined where the log wrote -1: not sent, or unknown (chunked encoding). */
  requestBytes: number | undefined;
  responseBytes: number | undefined;
  durationMs: number | undefined;
  userAgent: string;
}

export type RequestLineResult = { ok: true; line: RequestLine } | { ok: false; rejection: Rejection };

const method = /^[A-Z]{1,20}$/;
const status = /^[1-5][0-9]{2}$/;
/** A length or duration: a count, or -1 for "not sent" or "unknown". */
const count = /^(?:-1|0|[1-9][0-9]{0,14})$/;

export function readRequestLine(raw: string): RequestLineResult {
  const fields = withoutLineBreak(raw).split('|');
  if (fields.length < requestFieldCount) {
    return malformed(`expected ${requestFieldCount} pipe-separated fields, found ${fields.length}`);
  }
  const read = readFields(fields);
  // More fields pass only as a user agent that itself contains "|"; otherwise the count is the likely cause.
  if (!read.ok && fields.length > requestFieldCount) {
    return malformed(`expected ${requestFieldCount} pipe-separated fields, found ${fields.length} (${read.rejection.reason})`);
  }
  return read;
}

// The fields are read by index: destructuring, sub-arrays and a table of checks each cost an allocation per line.
function readFields(fields: readonly string[]): RequestLineResult {
  const timeText = fields[0] ?? '';
  const methodText = fields[4] ?? '';
  const statusText = fields[6] ?? '';
  const requestText = fields[7] ?? '';
  const responseText = fields[8] ?? '';
  const durationText = fields[9] ?? '';
  const time = parseRfc3339(timeText);
  if (time === undefined) {
    const reason = `timestamp ${quote(timeText)} is not an RFC 3339 date-time`;
    return { ok: false, rejection: { code: 'parse.bad_timestamp', reason } };
  }
  if (!method.test(methodText)) return malformed(`request method ${quote(methodText)} is not an upper-case HTTP method`);
  if (!status.test(statusText)) return malformed(`return status ${quote(statusText)} is not an HTTP status code`);
  const badCount =
    countProblem('request content length', requestText) ??
    countProblem('response content length', responseText) ??
    countProblem('request duration', durationText);
  if (badCount !== undefined) return malformed(badCount);
  // event.duration is in nanoseconds and must stay an exact integer.
  if (Number(durationText) * 1_000_000 > Number.MAX_SAFE_INTEGER) {
    return malformed(`request duration ${quote(durationText)} ms is implausibly long`);
  }
  return {
    ok: true,
    line: {
      time,
      traceId: fields[1] ?? '',
      remoteAddress: fields[2] ?? '',
      username: fields[3] ?? '',
      method: methodText,
      url: fields[5] ?? '',
      status: Number(statusText),
      requestBytes: countOf(requestText),
      responseBytes: countOf(responseText),
      durationMs: countOf(durationText),
      userAgent: fields.length === requestFieldCount ? (fields[10] ?? '') : fields.slice(10).join('|'),
    },
  };
}

function countProblem(name: string, text: string): string | undefined {
  return count.test(text) ? undefined : `${name} ${quote(text)} is not a whole number or -1`;
}

const countOf = (text: string): number | undefined => (text === '-1' ? undefined : Number(text));

function malformed(reason: string): RequestLineResult {
  return { ok: false, rejection: { code: 'parse.malformed', reason } };
}

/** A field quoted for a rejection reason, cut short so one bad line cannot flood the dead letters. */
function quote(text: string): string {
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
}
