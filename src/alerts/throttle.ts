/** A minute that ended with notifications held back: they go out as one summary. */
export interface ThrottledWindow<T> {
  sink: string;
  held: T[];
  startedAt: number;
  endedAt: number;
}

interface Window<T> {
  startedAt: number;
  sent: number;
  held: T[];
}

/**
 * Per-sink limit of N notifications per window (a minute by default), the window opening at the first
 * notification. What is over the limit is held, never dropped: due() hands it back once its window ended.
 * Time is passed in, never read.
 */
export class Throttle<T> {
  private readonly windows = new Map<string, Window<T>>();
  private readonly ended: ThrottledWindow<T>[] = [];

  constructor(
    private readonly limitOf: (sink: string) => number,
    private readonly windowMs = 60_000,
  ) {}

  /** True when the sink may send now (and counts it); false when the item is held for the summary. */
  admit(sink: string, item: T, now: number): boolean {
    let window = this.windows.get(sink);
    if (window && now >= window.startedAt + this.windowMs) {
      this.end(sink, window);
      window = undefined;
    }
    if (!window) {
      window = { startedAt: now, sent: 0, held: [] };
      this.windows.set(sink, window);
    }
    if (window.sent < this.limitOf(sink)) {
      window.sent += 1;
      return true;
    }
    window.held.push(item);
    return false;
  }

  /** Windows that ended by `now` with something held back. */
  due(now: number): ThrottledWindow<T>[] {
    for (const [sink, window] of this.windows) if (now >= window.startedAt + this.windowMs) this.end(sink, window);
    return this.ended.splice(0);
  }

  get heldCount(): number {
    return [...this.windows.values()].reduce((sum, window) => sum + window.held.length, 0) + this.ended.reduce((sum, w) => sum + w.held.length, 0);
  }

  private end(sink: string, window: Window<T>): void {
    this.windows.delete(sink);
    if (window.held.length > 0) this.ended.push({ sink, held: window.held, startedAt: window.startedAt, endedAt: window.startedAt + this.windowMs });
  }
}
