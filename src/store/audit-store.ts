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

/** Typed filters the API may ask for; the store turns them into its own query language (values only, never text). */
export interface RecordFilter {
  dataset?: string;
  actions?: readonly string[];
  user?: string;
  host?: string;
  module?: string;
  version?: string;
  /** The observer (proxy) name. */
  proxy?: string;
  outcome?: 'success' | 'failure' | 'unknown';
  ruleId?: string;
  severity?: number;
  minSeverity?: number;
  from?: Date;
  to?: Date;
}

/** A page request: the first page has no cursor; each later page passes the previous page's cursor. */
export interface PageRequest {
  size: number;
  cursor?: string;
  /** Only this one page is wanted: no point in time is opened and no cursor is returned. */
  single?: boolean;
}

/** One page, newest first; `nextCursor` is absent on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** One version of a module as seen in downloads. */
export interface ModuleVersionSummary {
  version: string;
  firstSeen: string;
  lastSeen: string;
  downloads: number;
  distinctUsers: number;
  distinctHosts: number;
}

/** An alert as stored, without storage details; `delivery` is whatever delivery status the notifier stored. */
export interface StoredAlert {
  id: string;
  '@timestamp': string;
  severity: number;
  fingerprint: string;
  rule: { id: string[]; name: string[]; version?: string };
  recordId: string;
  package?: { name: string; version?: string };
  user?: { name: string };
  host?: { name: string };
  delivery?: unknown;
}

export interface AlertFilter {
  ruleId?: string;
  minSeverity?: number;
  module?: string;
  user?: string;
  host?: string;
  from?: Date;
  to?: Date;
}

/** The query side the HTTP API reads through; pages are stable while new records arrive. */
export interface AuditQuery {
  searchRecords(filter: RecordFilter, page: PageRequest): Promise<Page<AuditRecord>>;
  moduleVersions(module: string, filter: Pick<RecordFilter, 'actions' | 'from' | 'to'>): Promise<ModuleVersionSummary[]>;
  searchAlerts(filter: AlertFilter, page: PageRequest): Promise<Page<StoredAlert>>;
}
