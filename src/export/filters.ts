// The typed filters of an export (the GET /v1/records vocabulary, store/audit-store.ts RecordFilter), and the same
// test applied offline to a record, so a verifier can check that every exported record passes them.
import { z } from 'zod';
import type { AuditRecord } from '../core/record.js';
import type { RecordFilter } from '../store/audit-store.js';

/** One exact filter value. */
export const filterTerm = z.string().min(1).max(1024);
const term = filterTerm;

/** Every filter is one exact value (actions: any of a list); together they all must hold (AND). */
export const exportFiltersSchema = z.strictObject({
  dataset: term.optional(),
  actions: z.array(term).min(1).max(50).optional(),
  user: term.optional(),
  host: term.optional(),
  module: term.optional(),
  version: term.optional(),
  /** The observer (proxy) name. */
  proxy: term.optional(),
  outcome: z.enum(['success', 'failure', 'unknown']).optional(),
  ruleId: term.optional(),
  severity: z.int().min(1).max(5).optional(),
  minSeverity: z.int().min(1).max(5).optional(),
});

export type ExportFilters = z.infer<typeof exportFiltersSchema>;

export const filterNames = Object.keys(exportFiltersSchema.shape) as (keyof ExportFilters)[];

/** True when no filter is set: the export is meant to hold every record of the range. */
export const isUnfiltered = (filters: ExportFilters): boolean => filterNames.every((name) => filters[name] === undefined);

/** The store's filter for an export: the same fields, plus the time range. */
export const recordFilterOf = (filters: ExportFilters, from: Date, to: Date): RecordFilter => ({ ...filters, from, to });

/** Whether a record passes the filters, as the store's term and range clauses decide it (a list field holds the value). */
export function matchesFilters(record: AuditRecord, filters: ExportFilters): boolean {
  const holds = (actual: unknown, wanted: string | number | undefined) =>
    wanted === undefined || (Array.isArray(actual) ? actual.includes(wanted) : actual === wanted);
  return (
    holds(record.event?.dataset, filters.dataset) &&
    (filters.actions === undefined || filters.actions.includes(record.event?.action)) &&
    holds(record.user?.name, filters.user) &&
    holds(record.host?.name, filters.host) &&
    holds(record.package?.name, filters.module) &&
    holds(record.package?.version, filters.version) &&
    holds(record.observer?.name, filters.proxy) &&
    holds(record.event?.outcome, filters.outcome) &&
    holds(record.rule?.id, filters.ruleId) &&
    holds(record.event?.severity, filters.severity) &&
    (filters.minSeverity === undefined || (typeof record.event?.severity === 'number' && record.event.severity >= filters.minSeverity))
  );
}

/** A half-open range [from, to) over @timestamp, as in the store. */
export function inTimeRange(record: AuditRecord, from: Date, to: Date): boolean {
  const time = Date.parse(record['@timestamp']);
  return time >= from.getTime() && time < to.getTime();
}
