/** Index and alias names; daily indices keyed by the record's own time, so a replay lands where the original did. */
export type IndexKind = 'audit' | 'alerts' | 'deadletters' | 'findings' | 'seals';

export const readAlias = (prefix: string, kind: IndexKind): string => `${prefix}-${kind}`;
export const indexPattern = (prefix: string, kind: IndexKind): string => `${prefix}-${kind}-*`;
export const templateName = (prefix: string, kind: IndexKind): string => `${prefix}-${kind}`;

/** A UTC time as records carry it (`…T12:00:00.000Z`): its UTC day is its first ten characters. */
const utcTime = /^(\d{4}-\d{2}-\d{2})T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?Z$/;
/** UTC days already checked, each as its index suffix (2026.11.25); a day is checked once, as a Date. */
const checkedDays = new Map<string, string>();

export function dailyIndex(prefix: string, kind: IndexKind, timestamp: string): string {
  const utc = utcTime.exec(timestamp);
  let day = utc === null ? undefined : checkedDays.get(utc[1]!);
  if (day === undefined) {
    // Any other form (an offset, a day that does not exist) goes through Date, which throws for a time that is none.
    day = new Date(timestamp).toISOString().slice(0, 10).replaceAll('-', '.');
    // Kept only when Date agrees with the text (2026-02-30 rolls to another day, and is checked each time).
    if (utc !== null && day === utc[1]!.replaceAll('-', '.') && checkedDays.size < 4096) checkedDays.set(utc[1]!, day);
  }
  return `${prefix}-${kind}-${day}`;
}

/** The one seals index: a single index, so `_id` = topic/partition/sequence is unique for a whole chain (a fork is a 409). */
export const sealsIndex = (prefix: string): string => `${prefix}-seals-000001`;
