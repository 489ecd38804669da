// Athens's dev log formats write the time as Go's time.Kitchen ("3:04PM"): a time of day with no date.
// The shape accepted, read character by character (a match array per line costs more): ^(\d{1,2}):(\d{2})(AM|PM)$
import { digitsAt } from '../rfc3339.js';

const twelveHours = 12 * 60 * 60 * 1000;
const oneDay = 2 * twelveHours;

/**
 * The instant a Kitchen time of day names: the date is receivedAt's (UTC); a time more than 12 h after
 * receivedAt must have been logged the day before, just before midnight.
 */
export function resolveKitchenTime(text: string, receivedAt: Date): Date | undefined {
  const received = receivedAt.getTime();
  // "H:MMAM" or "HH:MMAM": the colon is five characters from the end.
  const colon = text.length - 5;
  if ((colon !== 1 && colon !== 2) || text.charCodeAt(colon) !== 0x3a || Number.isNaN(received)) return undefined;
  const hour12 = digitsAt(text, 0, colon);
  const minute = digitsAt(text, colon + 1, 2);
  const pm = text.endsWith('PM');
  if (hour12 < 0 || minute < 0 || (!pm && !text.endsWith('AM'))) return undefined;
  if (hour12 < 1 || hour12 > 12 || minute > 59) return undefined;
  const hour = (hour12 % 12) + (pm ? 12 : 0);
  const sameDay = Date.UTC(receivedAt.getUTCFullYear(), receivedAt.getUTCMonth(), receivedAt.getUTCDate(), hour, minute);
  return new Date(sameDay - received > twelveHours ? sameDay - oneDay : sameDay);
}
