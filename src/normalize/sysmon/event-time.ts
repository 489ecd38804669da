// When a Sysmon event happened: its UtcTime (`2024-03-04 10:15:30.123`, UTC), else the time the log or shipper gave it.
import { parseRfc3339 } from '../rfc3339.js';
import type { SysmonEvent } from './sysmon-event.js';

export type EventTimeResult = { ok: true; time: Date } | { ok: false; rejection: { code: 'parse.bad_timestamp'; reason: string } };

const utcTime = /^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,9})?$/;

export function eventTime(event: SysmonEvent): EventTimeResult {
  const utc = event.data.get('UtcTime');
  if (utc !== undefined) {
    const time = utcTime.test(utc) ? fourDigitYear(`${utc}Z`) : undefined;
    return time ? { ok: true, time } : badTimestamp(`UtcTime ${JSON.stringify(utc)} is not like 2024-03-04 10:15:30.123`);
  }
  if (event.loggedAt !== undefined) {
    const time = fourDigitYear(event.loggedAt.text);
    if (time) return { ok: true, time };
    return badTimestamp(`${event.loggedAt.field} ${JSON.stringify(event.loggedAt.text)} is not an RFC 3339 time`);
  }
  return badTimestamp('no UtcTime, TimeCreated or @timestamp');
}

/** Records keep four-digit years so that @timestamp reads back as the same instant. */
function fourDigitYear(text: string): Date | undefined {
  if (Number(text.slice(0, 4)) < 1000) return undefined;
  const time = parseRfc3339(text);
  return time !== undefined && time.getUTCFullYear() <= 9999 ? time : undefined;
}

const badTimestamp = (reason: string): EventTimeResult => ({ ok: false, rejection: { code: 'parse.bad_timestamp', reason } });
