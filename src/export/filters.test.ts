import { describe, expect, it } from 'vitest';
import { minimalRecord } from '../../test/support/sample-record.js';
import type { AuditRecord } from '../core/record.js';
import { exportFiltersSchema, inTimeRange, isUnfiltered, matchesFilters } from './filters.js';

const record: AuditRecord = {
  ...minimalRecord,
  event: { ...minimalRecord.event, severity: 3 },
  user: { name: 'jdoe' },
  host: { name: 'DEV-WS-0142' },
  package: { name: 'golang.org/x/crypto', version: 'v0.17.0', type: 'golang' },
  observer: { product: 'athens', type: 'proxy', name: 'athens-eu' },
  rule: { id: ['module.denied', 'goenv.insecure'], name: [], ruleset: 'modtrail', version: 'r1' },
};

describe('export filters', () => {
  it('hold when every set filter holds (AND), with a list field holding the value', () => {
    expect(matchesFilters(record, {})).toBe(true);
    expect(matchesFilters(record, { user: 'jdoe', module: 'golang.org/x/crypto', version: 'v0.17.0', proxy: 'athens-eu', ruleId: 'goenv.insecure' })).toBe(true);
    expect(matchesFilters(record, { user: 'jdoe', host: 'other' })).toBe(false);
    expect(matchesFilters(record, { ruleId: 'module.allowed' })).toBe(false);
    expect(matchesFilters(record, { actions: ['module.info', 'module.zip'] })).toBe(true);
    expect(matchesFilters(record, { actions: ['module.info'] })).toBe(false);
    expect(matchesFilters(record, { outcome: 'failure' })).toBe(false);
  });

  it('compare severity exactly, or as a minimum; a record without severity passes neither', () => {
    expect(matchesFilters(record, { severity: 3 })).toBe(true);
    expect(matchesFilters(record, { severity: 4 })).toBe(false);
    expect(matchesFilters(record, { minSeverity: 3 })).toBe(true);
    expect(matchesFilters(record, { minSeverity: 4 })).toBe(false);
    expect(matchesFilters(minimalRecord, { minSeverity: 1 })).toBe(false);
  });

  it('are typed values only: unknown filters and query syntax objects are refused', () => {
    expect(exportFiltersSchema.safeParse({ user: 'jdoe' }).success).toBe(true);
    expect(exportFiltersSchema.safeParse({ query: { match_all: {} } }).success).toBe(false);
    expect(exportFiltersSchema.safeParse({ user: { wildcard: '*' } }).success).toBe(false);
    expect(exportFiltersSchema.safeParse({ severity: 9 }).success).toBe(false);
    expect(isUnfiltered({})).toBe(true);
    expect(isUnfiltered({ dataset: 'athens.access' })).toBe(false);
  });

  it('use a half-open time range', () => {
    const at = new Date(record['@timestamp']);
    expect(inTimeRange(record, at, new Date(at.getTime() + 1))).toBe(true);
    expect(inTimeRange(record, new Date(at.getTime() - 1), at)).toBe(false);
  });
});
