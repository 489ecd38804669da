import type { AuditRecord } from '../core/record.js';

/** A half-open time range [from, to) over the records' own time (@timestamp). */
export interface TimeRange {
  from: Date;
  to: Date;
}

/** The read side of the store: what replay, verify and exports need, with no storage shapes leaking out. */
export interface AuditReader {
  /** Every record in the range, oldest first, in pages; stable while new records arrive. */
  scan(range: TimeRange, pageSize?: number): AsyncIterable<AuditRecord[]>;
}
