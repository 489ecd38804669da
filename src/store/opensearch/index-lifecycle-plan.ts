/** Which of modtrail's daily indices to write-block, and which are past retention: a pure plan, tested alone. */

/**
 * The kinds of daily index modtrail writes (index-names.ts), recognised only by their exact name shape. The seals
 * index is one index (`<prefix>-seals-000001`) that must always take the next seal: never blocked, never deleted.
 */
export const managedKinds = ['audit', 'alerts', 'deadletters', 'findings'] as const;

export interface ManagedIndex {
  name: string;
  kind: string;
  /** The UTC day the index holds records of (from its name). */
  day: Date;
  writeBlocked: boolean;
}

export interface LifecyclePlan {
  /** Past the grace period and still writable. */
  writeBlock: string[];
  /** Past retention (oldest first). */
  expired: string[];
}

const dayMs = 86_400_000;

/** Parses `<prefix>-<kind>-YYYY.MM.DD`; anything else (another prefix, another shape, an impossible date) is not ours. */
export function parseManagedIndex(prefix: string, name: string, writeBlocked: boolean): ManagedIndex | undefined {
  if (!name.startsWith(`${prefix}-`)) return undefined;
  const match = /^([a-z]+)-(\d{4})\.(\d{2})\.(\d{2})$/.exec(name.slice(prefix.length + 1));
  if (!match) return undefined;
  const [, kind, year, month, date] = match as unknown as [string, string, string, string, string];
  if (!(managedKinds as readonly string[]).includes(kind)) return undefined;
  const day = new Date(Date.UTC(Number(year), Number(month) - 1, Number(date)));
  if (day.toISOString().slice(0, 10) !== `${year}-${month}-${date}`) return undefined;
  return { name, kind, day, writeBlocked };
}

/** Age in whole days counts from the end of the index's day, so yesterday's index is 0 days old until midnight. */
export function planLifecycle(
  indices: readonly ManagedIndex[],
  now: Date,
  options: { writeBlockAfterDays: number; retentionDays: number },
): LifecyclePlan {
  const sorted = [...indices].sort((a, b) => a.day.getTime() - b.day.getTime() || a.name.localeCompare(b.name));
  const ended = (index: ManagedIndex): number => index.day.getTime() + dayMs;
  return {
    writeBlock: sorted.filter((i) => !i.writeBlocked && now.getTime() >= ended(i) + options.writeBlockAfterDays * dayMs).map((i) => i.name),
    expired: sorted.filter((i) => now.getTime() >= ended(i) + options.retentionDays * dayMs).map((i) => i.name),
  };
}
