// Go writes times as RFC 3339 (time.RFC3339, or RFC3339Nano with up to nine fraction digits); Date.parse accepts far more.
// The shape accepted, read character by character (every record has a timestamp, and capture groups cost more):
//   ^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$

/** The value of the ASCII digits text[start, start + count), or -1 when any is not a digit. */
export function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** The instant an RFC 3339 timestamp names, to the millisecond; undefined when the text is not one. */
export function parseRfc3339(text: string): Date | undefined {
  if (text.length < 20) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  const separator = text.charCodeAt(10);
  if (text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d || text.charCodeAt(13) !== 0x3a || text.charCodeAt(16) !== 0x3a) {
    return undefined;
  }
  if (separator !== 0x54 && separator !== 0x74 && separator !== 0x20) return undefined;
  let pos = 19;
  let millis = 0;
  if (text.charCodeAt(pos) === 0x2e) {
    const start = ++pos;
    while (pos < text.length && pos - start < 10 && digitsAt(text, pos, 1) >= 0) pos++;
    const count = pos - start;
    if (count < 1 || count > 9) return undefined;
    // Milliseconds are the first three fraction digits, padded with zeros.
    millis = digitsAt(text, start, Math.min(count, 3)) * (count === 1 ? 100 : count === 2 ? 10 : 1);
  }
  let offsetMinutes = 0;
  const zone = text.charCodeAt(pos);
  if (zone === 0x5a || zone === 0x7a) {
    if (pos + 1 !== text.length) return undefined;
  } else if (zone === 0x2b || zone === 0x2d) {
    if (pos + 6 !== text.length || text.charCodeAt(pos + 3) !== 0x3a) return undefined;
    const offsetHours = digitsAt(text, pos + 1, 2);
    const offsetMins = digitsAt(text, pos + 4, 2);
    if (offsetHours < 0 || offsetMins < 0) return undefined;
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (zone === 0x2d ? -1 : 1) * (offsetHours * 60 + offsetMins);
  } else {
    return undefined;
  }
  return utcDate(year, month, day, hour, minute, second, millis, offsetMinutes);
}

/**
 * The instant a local date and time names at a UTC offset (in minutes); undefined when it names no real day and time
 * of day. Shared by the date parsers, so that none builds RFC 3339 text only to parse it again.
 */
export function utcDate(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millis: number,
  offsetMinutes: number,
): Date | undefined {
  // Every month has 28 days, so only later days need the calendar.
  if (month < 1 || month > 12 || day < 1 || (day > 28 && day > daysInMonth(year, month))) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  // The time value is computed here rather than by Date.UTC, a runtime call that also reads years 0–99 as 19xx.
  const local = daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + millis;
  const date = new Date(local - offsetMinutes * 60_000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Days from 1970-01-01 to a day of the proleptic Gregorian calendar (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const shiftedYear = month <= 2 ? year - 1 : year; // years counted from 1 March
  const era = Math.floor(shiftedYear / 400);
  const yearOfEra = shiftedYear - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : monthDays[month - 1]!;
}
