import type { Client } from '@opensearch-project/opensearch';
import type { AuditRecord } from '../../core/record.js';
import type { AuditReader, TimeRange } from '../audit-store.js';
import { readAlias } from './index-names.js';
import { pitScan } from './pit-scan.js';

/**
 * Scans the audit alias with a point in time and search_after, so a scan sees one consistent view of the
 * indices however many records arrive while it runs. Sorted by time, then by event id (unique) as tiebreaker.
 */
export class OpenSearchAuditReader implements AuditReader {
  constructor(
    private readonly client: Client,
    private readonly indexPrefix: string,
  ) {}

  scan(range: TimeRange, pageSize = 1000): AsyncIterable<AuditRecord[]> {
    return pitScan<AuditRecord>(this.client, {
      index: readAlias(this.indexPrefix, 'audit'),
      query: { range: { '@timestamp': { gte: range.from.toISOString(), lt: range.to.toISOString() } } },
      sort: [{ '@timestamp': 'asc' }, { 'event.id': 'asc' }],
      pageSize,
    });
  }
}
