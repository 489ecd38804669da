// logback-access's %date: the Common Log Format date `dd/MMM/yyyy:HH:mm:ss Z` with English month names.
import { parseRfc3339 } from '../rfc3339.js';

const clfDate = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The instant a CLF date names, or undefined when the text is not one (or names no real day and time). */
export function parseClfDate(text: string): Date | undefined {
  const match = clfDate.exec(text);
  if (!match) return undefined;
  const [, day, monthName, year, hour, minute, second, sign, offsetHours, offsetMinutes] = match;
  const month = months.indexOf(monthName ?? '') + 1;
  // Records keep four-digit years so that @timestamp reads back as the same instant.
  if (month === 0 || Number(year) < 1000) return undefined;
  const rfc3339 = `${year}-${String(month).padStart(2, '0')}-${day}T${hour}:${minute}:${second}${sign}${offsetHours}:${offsetMinutes}`;
  const date = parseRfc3339(rfc3339);
  return date !== undefined && date.getUTCFullYear() <= 9999 ? date : undefined;
}
