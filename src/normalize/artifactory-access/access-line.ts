// One artifactory-access.log line read into its parts. Artifactory writes
//   <time> [<trace id>] [<ACCEPTED|DENIED> <ACTION>] <repo-key>:<path><message> for <user>/<address>.
// 7.x: ISO time with Z, a trace id, "for client : user / address", often no final period;
// 6.x: "yyyy-MM-dd HH:mm:ss,SSS", no trace id, "for user/address." (later 6.x: "for client : user / address.").
import type { Rejection } from '../../core/component.js';
import { withoutLineBreak } from '../line-break.js';
import { digitsAt, parseRfc3339, utcDate } from '../rfc3339.js';

export interface AccessLine {
  time: Date;
  traceId?: string;
  /** The verdict verbatim, e.g. "DENIED DOWNLOAD". */
  verdict: string;
  accepted: boolean;
  /** The action type, e.g. DOWNLOAD, DEPLOY, LOGIN, CONFIGURATION_CHANGE. */
  verb: string;
  /** Everything between the verdict and "for": the repository path and/or a message, trimmed. */
  target: string;
  repository?: string;
  /** The path inside the repository; empty when the whole repository was meant. */
  path?: string;
  user: string;
  address?: string;
}

export type AccessLineResult = { ok: true; line: AccessLine } | { ok: false; rejection: Rejection };

// Numbered groups only: a pattern with named groups makes a `groups` object on every match.
/** Groups: 1 time, 2 trace id (absent in 6.x), 3 verdict ("ACCEPTED DOWNLOAD"), 4 action, 5 the rest of the line. */
const accessLine = /^([^\s[]+(?: [^\s[]+)?)\s+(?:\[([^\]\s]*)\]\s+)?\[((?:ACCEPTED|DENIED) ([A-Z][A-Z_]*))\](.*)$/;
/** The last "for" that stands as a word splits what was accessed (group 1) from who accessed it (group 2). */
const forWho = /^((?:.*\s)?)for\s+(\S.*)$/;
/** A repository path: the key (letters, digits, ".", "-", "_") and a path that starts right after the colon. */
const repositoryPath = /^([A-Za-z0-9][A-Za-z0-9._-]*):(\S.*)?$/;
/** yyyy-MM-dd HH:mm:ss,SSS */
const logbackTime = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}$/;
const clientPrefix = /^client\s*:\s*/;
const whitespace = /\s/;

export function readAccessLine(raw: string): AccessLineResult {
  const match = accessLine.exec(withoutLineBreak(raw));
  if (!match) return malformed('not "<time> [<trace id>] [ACCEPTED|DENIED <ACTION>] … for <user>/<address>"');
  const timeText = match[1] ?? '';
  const trace = match[2] ?? '';
  const verdict = match[3] ?? '';
  const time = readTime(timeText);
  if (time === undefined) {
    const reason = `time ${quote(timeText)} is neither ISO 8601 with a zone nor yyyy-MM-dd HH:mm:ss,SSS`;
    return { ok: false, rejection: { code: 'parse.bad_timestamp', reason } };
  }
  const split = forWho.exec(match[5] ?? '');
  if (!split) return malformed(`no "for <user>/<address>" after [${verdict}]`);
  const who = readWho(split[2] ?? '');
  if (who.user === '') return malformed(`no user name after "for" in [${verdict}] line`);
  const target = (split[1] ?? '').trim();
  const line: AccessLine = { time, verdict, accepted: verdict.startsWith('ACCEPTED'), verb: match[4] ?? '', target, user: who.user };
  if (trace !== '') line.traceId = trace;
  const repositoryMatch = repositoryPath.exec(target);
  if (repositoryMatch) {
    line.repository = repositoryMatch[1] ?? '';
    line.path = repositoryMatch[2] ?? '';
  }
  if (who.address !== undefined) line.address = who.address;
  return { ok: true, line };
}

function readTime(text: string): Date | undefined {
  if (!logbackTime.test(text)) return parseRfc3339(text);
  // Logback's default date carries no zone: 6.x wrote the server's local time, JFrog documents it as UTC; read as UTC.
  // The pattern has checked every digit's place, so the parts are read where they stand, not rebuilt as RFC 3339 text.
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  return utcDate(year, month, day, digitsAt(text, 11, 2), digitsAt(text, 14, 2), digitsAt(text, 17, 2), digitsAt(text, 20, 3), 0);
}

/** "client : jdoe / 10.1.2.3.", "jdoe/10.1.2.3." or "jdoe.", perhaps with the authentication type (TOKEN) after the address. */
function readWho(text: string): { user: string; address?: string } {
  // The same steps as `.replace(/\.$/, '').replace(/^client\s*:\s*/, '')`, running a pattern only where it can match.
  let who = text.trim();
  if (who.endsWith('.')) who = who.slice(0, -1);
  if (who.startsWith('client')) who = who.replace(clientPrefix, '');
  const slash = who.lastIndexOf('/');
  if (slash < 0) return { user: who.trim() };
  // The address is the first word after the slash (search finds it without split's array).
  const after = who.slice(slash + 1).trim();
  const space = after.search(whitespace);
  const address = space < 0 ? after : after.slice(0, space);
  const user = who.slice(0, slash).trim();
  return address === '' ? { user } : { user, address };
}

function malformed(reason: string): AccessLineResult {
  return { ok: false, rejection: { code: 'parse.malformed', reason } };
}

function quote(text: string): string {
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
}
