// logback-access's %date: the Common Log Format date `dd/MMM/yyyy:HH:mm:ss Z` with English month names.
// The shape accepted, read character by character (every Nexus record has one, and a match array costs more):
//   ^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$
import { digitsAt, utcDate } from '../rfc3339.js';

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "dd/MMM/yyyy:HH:mm:ss ±hhmm" */
const clfDateLength = 26;

/** The instant a CLF date names, or undefined when the text is not one (or names no real day and time). */
export function parseClfDate(text: string): Date | undefined {
  if (text.length !== clfDateLength) return undefined;
  if (
    text.charCodeAt(2) !== 0x2f || text.charCodeAt(6) !== 0x2f || text.charCodeAt(11) !== 0x3a ||
    text.charCodeAt(14) !== 0x3a || text.charCodeAt(17) !== 0x3a || text.charCodeAt(20) !== 0x20
  ) {
    return undefined;
  }
  const sign = text.charCodeAt(21);
  if (sign !== 0x2b && sign !== 0x2d) return undefined;
  const day = digitsAt(text, 0, 2);
  const year = digitsAt(text, 7, 4);
  const hour = digitsAt(text, 12, 2);
  const minute = digitsAt(text, 15, 2);
  const second = digitsAt(text, 18, 2);
  const offsetHours = digitsAt(text, 22, 2);
  const offsetMins = digitsAt(text, 24, 2);
  if (day < 0 || year < 0 || hour < 0 || minute < 0 || second < 0 || offsetHours < 0 || offsetMins < 0) return undefined;
  // Only the twelve names match: "Mar" but not "mar" or "MAR".
  let month = 0;
  while (month < months.length && !text.startsWith(months[month]!, 3)) month++;
  // Records keep four-digit years so that @timestamp reads back as the same instant.
  if (month === months.length || year < 1000) return undefined;
  if (offsetHours > 23 || offsetMins > 59) return undefined;
  const offsetMinutes = (sign === 0x2d ? -1 : 1) * (offsetHours * 60 + offsetMins);
  const date = utcDate(year, month + 1, day, hour, minute, second, 0, offsetMinutes);
  return date !== undefined && date.getUTCFullYear() <= 9999 ? date : undefined;
}
