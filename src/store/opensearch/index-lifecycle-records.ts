import type { Client } from '@opensearch-project/opensearch';
import { dailyIndex, readAlias } from './index-names.js';

/** What the lifecycle reads back from the audit indices before it deletes anything. */
export interface RetentionRecords {
  /** Whether the pipeline has stored the record with this id (of this @timestamp). */
  stored(id: string, timestamp: string): Promise<boolean>;
  /** The id of a stored deletion record naming this incarnation of an index, so a retried deletion records once. */
  deletionOf(uuid: string): Promise<string | undefined>;
}

export class OpenSearchRetentionRecords implements RetentionRecords {
  constructor(
    private readonly client: Client,
    private readonly indexPrefix: string,
  ) {}

  async stored(id: string, timestamp: string): Promise<boolean> {
    // A realtime GET on the record's own daily index: seen as soon as it is written, no refresh needed.
    try {
      const { body } = await this.client.exists({ index: dailyIndex(this.indexPrefix, 'audit', timestamp), id });
      return body === true;
    } catch (error) {
      if ((error as { meta?: { statusCode?: number } }).meta?.statusCode === 404) return false;
      throw error;
    }
  }

  async deletionOf(uuid: string): Promise<string | undefined> {
    const { body } = await this.client.search({
      index: readAlias(this.indexPrefix, 'audit'),
      ignore_unavailable: true,
      allow_no_indices: true,
      body: {
        size: 20,
        _source: ['event.id', 'event.original'],
        query: {
          bool: {
            filter: [{ term: { 'event.dataset': 'modtrail.retention' } }, { term: { 'event.action': 'index.delete' } }],
            // The message names the uuid; event.original (not indexed) is what is then checked exactly.
            must: [{ match_phrase: { message: uuid } }],
          },
        },
      },
    });
    for (const hit of (body.hits?.hits ?? []) as { _source?: { event?: { id?: string; original?: string } } }[]) {
      const event = hit._source?.event;
      if (event?.id === undefined || event.original === undefined) continue;
      try {
        if ((JSON.parse(event.original) as { index?: { uuid?: unknown } }).index?.uuid === uuid) return event.id;
      } catch {
        // Not a lifecycle event after all.
      }
    }
    return undefined;
  }
}
