// Athens's dev log formats write the time as Go's time.Kitchen ("3:04PM"): a time of day with no date.
const kitchen = /^(\d{1,2}):(\d{2})(AM|PM)$/;
const twelveHours = 12 * 60 * 60 * 1000;
const oneDay = 2 * twelveHours;

/**
 * The instant a Kitchen time of day names: the date is receivedAt's (UTC); a time more than 12 h after
 * receivedAt must have been logged the day before, just before midnight.
 */
export function resolveKitchenTime(text: string, receivedAt: Date): Date | undefined {
  const match = kitchen.exec(text);
  const received = receivedAt.getTime();
  if (!match || Number.isNaN(received)) return undefined;
  const hour12 = Number(match[1]);
  const minute = Number(match[2]);
  if (hour12 < 1 || hour12 > 12 || minute > 59) return undefined;
  const hour = (hour12 % 12) + (match[3] === 'PM' ? 12 : 0);
  const sameDay = Date.UTC(receivedAt.getUTCFullYear(), receivedAt.getUTCMonth(), receivedAt.getUTCDate(), hour, minute);
  return new Date(sameDay - received > twelveHours ? sameDay - oneDay : sameDay);
}
