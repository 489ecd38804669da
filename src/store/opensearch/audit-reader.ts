import type { Client } from '@opensearch-project/opensearch';
import type { AuditRecord } from '../../core/record.js';
import type { AuditReader, TimeRange } from '../audit-store.js';
import { readAlias } from './index-names.js';

const keepAlive = '2m';

/**
 * Scans the audit alias with a point in time and search_after, so a scan sees one consistent view of the
 * indices however many records arrive while it runs. Sorted by time, then by event id (unique) as tiebreaker.
 */
export class OpenSearchAuditReader implements AuditReader {
  constructor(
    private readonly client: Client,
    private readonly indexPrefix: string,
  ) {}

  async *scan(range: TimeRange, pageSize = 1000): AsyncIterable<AuditRecord[]> {
    const index = readAlias(this.indexPrefix, 'audit');
    const exists = await this.client.indices.existsAlias({ name: index });
    if (!exists.body) return;
    const { body: pit } = await this.client.createPit({ index: [index], keep_alive: keepAlive });
    try {
      let searchAfter: (string | number)[] | undefined;
      for (;;) {
        const { body } = await this.client.search({
          body: {
            size: pageSize,
            pit: { id: pit.pit_id, keep_alive: keepAlive },
            query: { range: { '@timestamp': { gte: range.from.toISOString(), lt: range.to.toISOString() } } },
            sort: [{ '@timestamp': 'asc' }, { 'event.id': 'asc' }],
            ...(searchAfter ? { search_after: searchAfter } : {}),
            track_total_hits: false,
          },
        });
        const hits = body.hits.hits as { _source: AuditRecord; sort: (string | number)[] }[];
        if (hits.length === 0) return;
        yield hits.map((hit) => hit._source);
        if (hits.length < pageSize) return;
        searchAfter = hits.at(-1)!.sort;
      }
    } finally {
      await this.client.deletePit({ body: { pit_id: [pit.pit_id] } }).catch(() => undefined);
    }
  }
}
