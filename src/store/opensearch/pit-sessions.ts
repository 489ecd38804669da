import { randomUUID } from 'node:crypto';
import type { Client } from '@opensearch-project/opensearch';

/**
 * Point-in-time ids kept in the store, so a cursor carries a short handle instead: a PIT id grows with every daily
 * index it spans (kilobytes after a few weeks, too long for a URL after a year), and any replica must resume it.
 */
export class PitSessions {
  private readonly index: string;
  private ready: Promise<void> | undefined;
  private saves = 0;

  constructor(
    private readonly client: Client,
    indexPrefix: string,
    /** Handles older than this are swept now and then; their points in time expired long before. */
    private readonly maxAgeMs = 24 * 3_600_000,
  ) {
    this.index = `${indexPrefix}-cursors`;
  }

  async save(pit: string): Promise<string> {
    await this.ensureIndex();
    const id = randomUUID();
    await this.client.index({ index: this.index, id, op_type: 'create', body: { pit, createdAt: new Date().toISOString() } });
    if (++this.saves % 100 === 1) void this.sweep();
    return id;
  }

  /** The PIT id behind a handle (a realtime get: no refresh needed), or undefined when unknown. */
  async pit(id: string): Promise<string | undefined> {
    const answer = await this.client.get({ index: this.index, id }).catch((error: unknown) => {
      if ((error as { meta?: { statusCode?: number } }).meta?.statusCode === 404) return undefined;
      throw error;
    });
    const pit = (answer?.body._source as { pit?: unknown } | undefined)?.pit;
    return typeof pit === 'string' ? pit : undefined;
  }

  async remove(id: string): Promise<void> {
    await this.client.delete({ index: this.index, id }).catch(() => undefined);
  }

  private ensureIndex(): Promise<void> {
    this.ready ??= (async () => {
      const { body: exists } = await this.client.indices.exists({ index: this.index });
      if (exists) return;
      await this.client.indices
        .create({
          index: this.index,
          body: {
            settings: { number_of_shards: 1, auto_expand_replicas: '0-1' },
            mappings: { dynamic: false, properties: { createdAt: { type: 'date' }, pit: { type: 'keyword', index: false, doc_values: false } } },
          },
        })
        .catch((error: unknown) => {
          // Another replica created it first.
          if (!JSON.stringify((error as { meta?: { body?: unknown } }).meta?.body ?? '').includes('resource_already_exists_exception')) throw error;
        });
    })().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private async sweep(): Promise<void> {
    const before = new Date(Date.now() - this.maxAgeMs).toISOString();
    await this.client.deleteByQuery({ index: this.index, body: { query: { range: { createdAt: { lt: before } } } }, conflicts: 'proceed' }).catch(() => undefined);
  }
}
