/** What the grouper decided for one occurrence. */
export type GroupDecision = 'first' | 'escalation' | 'grouped';

/** A window that ended with occurrences held back: they go out as one summary. */
export interface ClosedGroup<T> {
  key: string;
  /** Every occurrence in the window, those sent at once included. */
  total: number;
  held: T[];
  /** Occurrence times (ms) of the first and the last occurrence in the window. */
  firstAt: number;
  lastAt: number;
  maxSeverity: number;
}

interface OpenGroup<T> {
  endsAt: number;
  total: number;
  held: T[];
  firstAt: number;
  lastAt: number;
  maxSeverity: number;
}

/**
 * Groups occurrences with the same key (sink and fingerprint) within a window that opens at the first one:
 * the first goes out at once, later ones are held for a summary at the window's end, and one with a higher
 * severity than any before in the window goes out at once (escalation). Time is passed in, never read.
 */
export class Grouper<T> {
  private readonly open = new Map<string, OpenGroup<T>>();
  private readonly closing: ClosedGroup<T>[] = [];

  constructor(private readonly windowMs: number) {}

  offer(key: string, item: T, severity: number, occurredAt: number, now: number): GroupDecision {
    if (this.windowMs === 0) return 'first';
    const group = this.open.get(key);
    if (!group || now >= group.endsAt) {
      // A window that ended but was not yet collected is still summarized by due(); this one starts afresh.
      if (group) this.closing.push(this.close(key, group));
      this.open.set(key, { endsAt: now + this.windowMs, total: 1, held: [], firstAt: occurredAt, lastAt: occurredAt, maxSeverity: severity });
      return 'first';
    }
    group.total += 1;
    group.firstAt = Math.min(group.firstAt, occurredAt);
    group.lastAt = Math.max(group.lastAt, occurredAt);
    if (severity > group.maxSeverity) {
      group.maxSeverity = severity;
      return 'escalation';
    }
    group.held.push(item);
    return 'grouped';
  }

  /** Windows that ended by `now` and held something back; windows with nothing held just end. */
  due(now: number): ClosedGroup<T>[] {
    const closed = this.closing.splice(0);
    for (const [key, group] of this.open) {
      if (now < group.endsAt) continue;
      this.open.delete(key);
      closed.push(this.close(key, group));
    }
    return closed.filter((group) => group.held.length > 0);
  }

  /** Every held occurrence, window ended or not: what stop() leaves for the next start. */
  get heldCount(): number {
    return [...this.open.values(), ...this.closing].reduce((sum, group) => sum + group.held.length, 0);
  }

  private close(key: string, group: OpenGroup<T>): ClosedGroup<T> {
    return { key, total: group.total, held: group.held, firstAt: group.firstAt, lastAt: group.lastAt, maxSeverity: group.maxSeverity };
  }
}
