// The store against the real OpenSearch: explicit mappings, create-only writes settled item by item.
import { randomUUID } from 'node:crypto';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ecsVersion, type AuditRecord } from '../../src/core/record.js';
import { withHash } from '../../src/integrity/record-hash.js';
import { OpenSearchSink } from '../../src/sinks/opensearch/opensearch-sink.js';
import { createOpenSearchClient } from '../../src/store/opensearch/client.js';

const prefix = `store-${randomUUID().slice(0, 8)}`;
const client = new Client({ node: inject('opensearchUrl') });

function record(id: string, overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    '@timestamp': '2026-11-20T10:00:00.000Z',
    ecs: { version: ecsVersion },
    event: {
      id,
      kind: 'event',
      category: ['web', 'package'],
      type: ['access'],
      action: 'module.zip',
      outcome: 'success',
      dataset: 'athens.access',
      ingested: '2026-11-20T10:00:01.000Z',
      original: `raw line ${id} with a secret-looking token`,
    },
    observer: { product: 'athens', type: 'proxy' },
    package: { name: 'golang.org/x/text', version: 'v0.14.0', type: 'golang' },
    ...overrides,
  };
}

describe('OpenSearch store', () => {
  const sink = new OpenSearchSink(createOpenSearchClient({ node: inject('opensearchUrl'), indexPrefix: prefix, requestTimeoutMs: 10_000 }), prefix);

  beforeAll(async () => {
    await sink.start();
  });

  afterAll(async () => {
    await client.indices.delete({ index: `${prefix}-*` }).catch(() => undefined);
    await client.indices.deleteIndexTemplate({ name: `${prefix}-*` }).catch(() => undefined);
    await client.close();
  });

  it('creates daily indices from the template, with the read alias and the explicit mapping', async () => {
    expect(await sink.write([record('a1')])).toEqual([{ status: 'delivered' }]);
    const index = `${prefix}-audit-2026.11.20`;
    const { body: aliases } = await client.indices.getAlias({ index });
    expect(Object.keys(aliases[index]!.aliases)).toContain(`${prefix}-audit`);
    const { body: mapping } = await client.indices.getMapping({ index });
    const properties = mapping[index]!.mappings.properties as Record<string, { properties: Record<string, { type: string; index?: boolean }> }>;
    expect(properties.package!.properties.name!.type).toBe('keyword');
    expect(properties.event!.properties.original).toMatchObject({ type: 'keyword', index: false });
    expect(mapping[index]!.mappings.dynamic).toBe('false');
  });

  it('settles each item: new, replayed (duplicate), and refused by the mapping with the reason', async () => {
    const settlements = await sink.write([record('b1'), record('a1'), record('b2', { source: { ip: 'not-an-ip' } })]);
    expect(settlements[0]).toEqual({ status: 'delivered' });
    expect(settlements[1]).toEqual({ status: 'delivered', duplicate: true });
    expect(settlements[2]).toMatchObject({ status: 'rejected', code: 'store.rejected' });
    expect((settlements[2] as { reason: string }).reason).toMatch(/^400 .*source\.ip/);

    await client.indices.refresh({ index: `${prefix}-audit` });
    const { body } = await client.count({ index: `${prefix}-audit` });
    expect(body.count).toBe(2);
  });

  it('keeps event.original out of the index (stored, not searchable)', async () => {
    await client.indices.refresh({ index: `${prefix}-audit` });
    const { body } = await client.search({ index: `${prefix}-audit`, body: { query: { term: { 'event.original': 'raw line a1 with a secret-looking token' } } } }).catch(
      (error: { meta?: { body: unknown } }) => ({ body: error.meta?.body }),
    );
    const hits = (body as { hits?: { total: { value: number } } }).hits;
    expect(hits?.total.value ?? 0).toBe(0);
    const { body: doc } = await client.get({ index: `${prefix}-audit-2026.11.20`, id: 'a1' });
    expect((doc._source as AuditRecord).event.original).toBe('raw line a1 with a secret-looking token');
  });

  it('finds a record by its event.hash, which is searchable but has no doc-values column; unsearched indices may go search-idle', async () => {
    const hashed = withHash(record('h1'));
    expect(await sink.write([hashed])).toEqual([{ status: 'delivered' }]);
    await client.indices.refresh({ index: `${prefix}-audit` });
    const { body } = await client.search({ index: `${prefix}-audit`, body: { query: { term: { 'event.hash': hashed.event.hash } } } });
    expect(body.hits.hits.map((hit) => hit._id)).toEqual(['h1']);
    const index = `${prefix}-audit-2026.11.20`;
    const { body: mapping } = await client.indices.getMapping({ index });
    const event = (mapping[index]!.mappings.properties as Record<string, { properties: Record<string, object> }>).event!;
    expect(event.properties.hash).toMatchObject({ type: 'keyword', doc_values: false });
    // No explicit refresh_interval: OpenSearch then skips the periodic refresh of a shard nobody has searched for 30 s.
    const { body: settings } = await client.indices.getSettings({ index, flat_settings: true });
    const flat = settings[index]!.settings as Record<string, string>;
    expect(flat['index.number_of_shards']).toBe('1');
    expect(flat).not.toHaveProperty(['index.refresh_interval']);
  });

  it('asks for a retry of every item when the cluster cannot be reached', async () => {
    const unreachable = new OpenSearchSink(createOpenSearchClient({ node: 'http://127.0.0.1:1', indexPrefix: prefix, requestTimeoutMs: 2000 }), prefix);
    const settlements = await unreachable.write([record('c1'), record('c2')]);
    expect(settlements.map((s) => s.status)).toEqual(['retry', 'retry']);
  });
});
