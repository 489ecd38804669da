import type { Client } from '@opensearch-project/opensearch';
import type { Settlement } from '../../core/component.js';
import type { Notification, OutboxStore, OutboxWrite } from '../../delivery/notification.js';
import { dailyIndex } from './index-names.js';

const keyword = { type: 'keyword' } as const;

/** The outbox's own index: one document per notification; alerts and digests kept in _source only. */
export const outboxMapping = {
  dynamic: false,
  properties: {
    id: keyword,
    sink: keyword,
    routes: keyword,
    kind: keyword,
    state: keyword,
    hold: keyword,
    fingerprint: keyword,
    summaryId: keyword,
    attempts: { type: 'integer' },
    lastError: { type: 'keyword', index: false, doc_values: false },
    createdAt: { type: 'date' },
    deliveredAt: { type: 'date' },
    dueAt: { type: 'date' },
    alert: { type: 'object', enabled: false },
    digest: { type: 'object', enabled: false },
    members: { type: 'object', enabled: false },
  },
} as const;

export const outboxIndex = (prefix: string): string => `${prefix}-outbox`;

interface BulkItem {
  status: number;
  error?: { type?: string; reason?: string | null };
}

/**
 * Notifications in `<prefix>-outbox`, and each alert's delivery status in its alert document (`delivery.<sink>`).
 * Alert documents are not audit records, so updating their delivery status is allowed; audit records never change.
 */
export class OpenSearchOutboxStore implements OutboxStore {
  private readonly index: string;

  constructor(
    private readonly client: Client,
    private readonly indexPrefix: string,
  ) {
    this.index = outboxIndex(indexPrefix);
  }

  async start(): Promise<void> {
    const exists = await this.client.indices.exists({ index: this.index });
    if (exists.body) return;
    await this.client.indices
      .create({
        index: this.index,
        body: { settings: { number_of_shards: 1, auto_expand_replicas: '0-1', refresh_interval: '1s' }, mappings: outboxMapping },
      })
      .catch((error: unknown) => {
        // Two instances starting at once: the other one created it.
        if (!String((error as { body?: { error?: { type?: string } } }).body?.error?.type).includes('resource_already_exists')) throw error;
      });
  }

  async stop(): Promise<void> {}

  async write(writes: readonly OutboxWrite[]): Promise<Settlement[]> {
    if (writes.length === 0) return [];
    const body = writes.flatMap((write) => this.operation(write));
    let items: Record<string, BulkItem>[];
    try {
      items = (await this.client.bulk({ body })).body.items as Record<string, BulkItem>[];
    } catch (error) {
      const reason = `outbox write failed: ${error instanceof Error ? error.message : String(error)}`;
      return writes.map(() => ({ status: 'retry', reason }));
    }
    return writes.map((write, i) => settle(write, Object.values(items[i] ?? {})[0]));
  }

  async existing(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const response = await this.client.mget({ index: this.index, body: { ids: [...ids] }, _source: false });
    const docs = response.body.docs as { _id: string; found?: boolean }[];
    return new Set(docs.filter((doc) => doc.found).map((doc) => doc._id));
  }

  async unfinished(): Promise<Notification[]> {
    await this.client.indices.refresh({ index: this.index });
    const found: Notification[] = [];
    let after: (string | number)[] | undefined;
    for (;;) {
      const response = await this.client.search({
        index: this.index,
        body: {
          size: 1000,
          query: { terms: { state: ['pending', 'held', 'scheduled'] } },
          sort: [{ createdAt: 'asc' }, { id: 'asc' }],
          ...(after ? { search_after: after } : {}),
        },
      });
      const hits = response.body.hits.hits as unknown as { _source: Notification; sort: (string | number)[] }[];
      found.push(...hits.map((hit) => hit._source));
      if (hits.length < 1000) return found;
      after = hits.at(-1)!.sort;
    }
  }

  private operation(write: OutboxWrite): object[] {
    switch (write.op) {
      case 'create':
        return [{ create: { _index: this.index, _id: write.notification.id } }, write.notification];
      case 'put':
        return [{ index: { _index: this.index, _id: write.notification.id } }, write.notification];
      case 'patch':
        return [{ update: { _index: this.index, _id: write.id, retry_on_conflict: 5 } }, { doc: write.patch }];
      case 'delivery':
        return [
          { update: { _index: dailyIndex(this.indexPrefix, 'alerts', write.alert.timestamp), _id: write.alert.id, retry_on_conflict: 5 } },
          { doc: { delivery: { [write.sink]: write.entry } } },
        ];
    }
  }
}

function settle(write: OutboxWrite, item: BulkItem | undefined): Settlement {
  if (!item) return { status: 'retry', reason: 'bulk response has no item for this write' };
  if (item.status === 200 || item.status === 201) return { status: 'delivered' };
  if (item.status === 409 && write.op === 'create') return { status: 'delivered', duplicate: true };
  const reason = `${item.status} ${item.error?.type ?? 'error'}: ${item.error?.reason ?? 'no reason given'}`;
  if (item.status === 429 || item.status >= 500 || item.status === 409) return { status: 'retry', reason };
  return { status: 'rejected', code: 'store.rejected', reason };
}
