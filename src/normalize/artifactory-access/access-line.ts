// One artifactory-access.log line read into its parts. Artifactory writes
//   <time> [<trace id>] [<ACCEPTED|DENIED> <ACTION>] <repo-key>:<path><message> for <user>/<address>.
// 7.x: ISO time with Z, a trace id, "for client : user / address", often no final period;
// 6.x: "yyyy-MM-dd HH:mm:ss,SSS", no trace id, "for user/address." (later 6.x: "for client : user / address.").
import type { Rejection } from '../../core/component.js';
import { parseRfc3339 } from '../rfc3339.js';

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

const accessLine =
  /^(?<time>[^\s[]+(?: [^\s[]+)?)\s+(?:\[(?<trace>[^\]\s]*)\]\s+)?\[(?<verdict>(?<decision>ACCEPTED|DENIED) (?<verb>[A-Z][A-Z_]*))\](?<body>.*)$/;
/** The last "for" that stands as a word splits what was accessed from who accessed it. */
const forWho = /^(?<target>(?:.*\s)?)for\s+(?<who>\S.*)$/;
/** A repository path: the key (letters, digits, ".", "-", "_") and a path that starts right after the colon. */
const repositoryPath = /^(?<repository>[A-Za-z0-9][A-Za-z0-9._-]*):(?<path>\S.*)?$/;
const logbackTime = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}),(\d{3})$/;

export function readAccessLine(raw: string): AccessLineResult {
  const match = accessLine.exec(raw.replace(/\r?\n?$/, ''));
  if (!match?.groups) return malformed('not "<time> [<trace id>] [ACCEPTED|DENIED <ACTION>] … for <user>/<address>"');
  const { time: timeText = '', trace = '', verdict = '', decision = '', verb = '', body = '' } = match.groups;
  const time = readTime(timeText);
  if (time === undefined) {
    const reason = `time ${quote(timeText)} is neither ISO 8601 with a zone nor yyyy-MM-dd HH:mm:ss,SSS`;
    return { ok: false, rejection: { code: 'parse.bad_timestamp', reason } };
  }
  const split = forWho.exec(body);
  if (!split?.groups) return malformed(`no "for <user>/<address>" after [${verdict}]`);
  const who = readWho(split.groups.who ?? '');
  if (who.user === '') return malformed(`no user name after "for" in [${verdict}] line`);
  const target = (split.groups.target ?? '').trim();
  const repositoryMatch = repositoryPath.exec(target);
  return {
    ok: true,
    line: {
      time,
      ...(trace === '' ? {} : { traceId: trace }),
      verdict,
      accepted: decision === 'ACCEPTED',
      verb,
      target,
      ...(repositoryMatch?.groups
        ? { repository: repositoryMatch.groups.repository ?? '', path: repositoryMatch.groups.path ?? '' }
        : {}),
      ...who,
    },
  };
}

function readTime(text: string): Date | undefined {
  const logback = logbackTime.exec(text);
  // Logback's default date carries no zone: 6.x wrote the server's local time, JFrog documents it as UTC; read as UTC.
  if (logback) return parseRfc3339(`${logback[1] ?? ''}T${logback[2] ?? ''}.${logback[3] ?? ''}Z`);
  return parseRfc3339(text);
}

/** "client : jdoe / 10.1.2.3.", "jdoe/10.1.2.3." or "jdoe.", perhaps with the authentication type (TOKEN) after the address. */
function readWho(text: string): { user: string; address?: string } {
  const who = text.trim().replace(/\.$/, '').replace(/^client\s*:\s*/, '');
  const slash = who.lastIndexOf('/');
  if (slash < 0) return { user: who.trim() };
  const address = who.slice(slash + 1).trim().split(/\s+/, 1)[0] ?? '';
  return { user: who.slice(0, slash).trim(), ...(address === '' ? {} : { address }) };
}

function malformed(reason: string): AccessLineResult {
  return { ok: false, rejection: { code: 'parse.malformed', reason } };
}

function quote(text: string): string {
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
}
