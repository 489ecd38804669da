// One line of Nexus Repository 3's request.log, written by logback-access with the pattern shipped in
// etc/logback/logback-access.xml:
//   %clientHost %l %user [%date] "%requestURL" %statusCode %header{Content-Length} %bytesSent %elapsedTime "%header{User-Agent}" [%thread]
// Older releases wrote neither %header{Content-Length} nor [%thread]. logback writes "-" for a value it lacks.
import type { Rejection } from '../../core/component.js';
import { parseClfDate } from './clf-date.js';

export interface NexusRequestEntry {
  clientHost: string;
  /** Absent for an anonymous request. */
  user?: string;
  time: Date;
  method: string;
  /** The request target exactly as sent: path and query, or an absolute URL. */
  target: string;
  status: number;
  /** The request's Content-Length header; absent when the client sent none or the pattern lacks it. */
  requestBytes?: number;
  bytesSent?: number;
  elapsedMs?: number;
  userAgent?: string;
  thread?: string;
}

export type EntryResult = { ok: true; entry: NexusRequestEntry } | { ok: false; rejection: Rejection };

/** Groups: 1 client host, 2 user, 3 date, 4 request, 5 status; the ident (always "-") is not captured. */
const head = /^(\S+) \S+ (\S+) \[([^\]]*)\] "([^"]*)" (\S+) /;
/** Groups: 1 method, 2 target; the protocol version is checked, not kept. */
const requestLine = /^([A-Z][A-Z0-9_-]*) (\S+) HTTP\/\d(?:\.\d)?$/;
const statusCode = /^[1-5][0-9]{2}$/;
/** Fifteen digits at most, so every count is a safe integer. */
const count = /^(?:-|[0-9]{1,15})$/;

const malformed = (reason: string): EntryResult => ({ ok: false, rejection: { code: 'parse.malformed', reason } });

export function readAccessLine(line: string): EntryResult {
  if (/[\r\n]/.test(line)) return malformed('request.log lines are single lines; this one has a line break');
  const match = head.exec(line);
  if (!match) return malformed('not a Nexus request.log line: expected client, ident, user, [date], "request" and status');
  // Groups by index: destructuring a match array costs an iterator.
  const user = match[2] ?? '';
  const dateText = match[3] ?? '';
  const request = match[4] ?? '';
  const status = match[5] ?? '';
  const time = parseClfDate(dateText);
  if (!time) {
    return { ok: false, rejection: { code: 'parse.bad_timestamp', reason: `[${dateText}] is not a date like [04/Mar/2024:10:15:30 +0000]` } };
  }
  const requested = requestLine.exec(request);
  if (!requested) return malformed(`request ${JSON.stringify(request)} is not "METHOD target HTTP/version"`);
  if (!statusCode.test(status)) return malformed(`status ${JSON.stringify(status)} is not an HTTP status code`);

  const rest = line.slice(match[0].length);
  const quote = rest.indexOf('"');
  if (quote < 0) return malformed('no quoted user agent after the byte counts');
  const counts = rest.slice(0, quote).split(' ');
  // The split leaves an empty string after the space that precedes the quote.
  if (counts.pop() !== '' || (counts.length !== 2 && counts.length !== 3) || !allCounts(counts)) {
    const found = JSON.stringify(rest.slice(0, quote).trimEnd());
    return malformed(`expected [content length] bytes sent and elapsed ms before the user agent, found ${found}`);
  }
  const tail = readTail(rest.slice(quote + 1));
  if (!tail) return malformed('text after the quoted user agent is not a [thread]');

  const entry: NexusRequestEntry = {
    clientHost: match[1] ?? '',
    time,
    method: requested[1] ?? '',
    target: requested[2] ?? '',
    status: Number(status),
  };
  if (user !== '-') entry.user = user;
  // Three counts when the pattern logs the request's Content-Length, else two.
  const first = counts.length - 2;
  if (first === 1) setCount(entry, 'requestBytes', counts[0]);
  setCount(entry, 'bytesSent', counts[first]);
  setCount(entry, 'elapsedMs', counts[first + 1]);
  if (tail.userAgent !== '' && tail.userAgent !== '-') entry.userAgent = tail.userAgent;
  if (tail.thread !== undefined) entry.thread = tail.thread;
  return { ok: true, entry };
}

function allCounts(counts: readonly string[]): boolean {
  for (const text of counts) if (!count.test(text)) return false;
  return true;
}

/** The user agent runs to the last quote: logback does not escape quotes inside a header value. */
function readTail(tail: string): { userAgent: string; thread?: string } | undefined {
  if (tail.endsWith('"')) return { userAgent: tail.slice(0, -1) };
  const close = tail.lastIndexOf('" [');
  if (close < 0 || !tail.endsWith(']')) return undefined;
  const thread = tail.slice(close + '" ['.length, -1);
  if (thread === '' || /[[\]]/.test(thread)) return undefined;
  return { userAgent: tail.slice(0, close), thread };
}

function setCount(entry: NexusRequestEntry, key: 'requestBytes' | 'bytesSent' | 'elapsedMs', text: string | undefined): void {
  if (text !== undefined && text !== '-') entry[key] = Number(text);
}
