// Two ways to keep audit records append-only, compared on the real OpenSearch (docs/DECISIONS.md, "Append-only storage"):
// OpenSearch's index.append_only.enabled (2.19+) and modtrail's deterministic _id written with `create`.
import { randomUUID } from 'node:crypto';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AuditRecord } from '../../src/core/record.js';
import { OpenSearchSink } from '../../src/sinks/opensearch/opensearch-sink.js';
import { bulkCreate } from '../../src/store/opensearch/bulk-create.js';
import { createOpenSearchClient } from '../../src/store/opensearch/client.js';
import { removeTestData } from '../support/cleanup.js';
import { minimalRecord } from '../support/sample-record.js';

const prefix = `appendonly-${randomUUID().slice(0, 8)}`;
const appendOnly = `${prefix}-native`;
const client = new Client({ node: inject('opensearchUrl') });
const storeClient = createOpenSearchClient({ node: inject('opensearchUrl'), indexPrefix: prefix, requestTimeoutMs: 10_000 });
const sink = new OpenSearchSink(storeClient, prefix);

const records: AuditRecord[] = ['1', '2', '3'].map((n) => ({ ...minimalRecord, event: { ...minimalRecord.event, id: n.repeat(40), original: `line ${n}` } }));
const modtrailIndex = `${prefix}-audit-2024.06.01`;

/** The error type and status OpenSearch answers with, or 'ok'. */
async function outcome(request: Promise<unknown>): Promise<string> {
  try {
    await request;
    return 'ok';
  } catch (error) {
    const meta = (error as { meta?: { statusCode?: number; body?: { error?: { type?: string } } } }).meta;
    return `${meta?.statusCode} ${meta?.body?.error?.type}`;
  }
}

async function visible(index: string): Promise<number> {
  await client.indices.refresh({ index });
  return (await client.count({ index })).body.count as number;
}

function bulkItems(response: { body: { items: Record<string, { status: number; error?: { type?: string } }>[] } }): string[] {
  return response.body.items.map((item) => {
    const result = Object.values(item)[0]!;
    return result.error ? `${result.status} ${result.error.type}` : String(result.status);
  });
}

describe('append-only storage on the real OpenSearch', () => {
  beforeAll(async () => {
    await client.indices.create({ index: appendOnly, body: { settings: { 'index.append_only.enabled': true, number_of_replicas: 0 } } });
    await sink.start();
  });

  afterAll(async () => {
    await removeTestData({ opensearch: client, indexPrefix: prefix });
    await storeClient.close();
    await client.close();
  });

  it('(a) index.append_only.enabled refuses an `index` with a custom _id, an update and a delete', async () => {
    const indexed = await client.index({ index: appendOnly, body: records[0]! });
    const id = indexed.body._id as string;
    expect(await outcome(client.index({ index: appendOnly, id: 'custom-id', body: records[1]! }))).toBe('400 validation_exception');
    expect(await outcome(client.update({ index: appendOnly, id, body: { doc: { message: 'tampered' } } }))).toBe('400 validation_exception');
    expect(await outcome(client.delete({ index: appendOnly, id }))).toBe('400 validation_exception');
    const bulk = await client.bulk({
      body: [{ index: { _index: appendOnly, _id: 'custom-id' } }, records[1]!, { update: { _index: appendOnly, _id: id } }, { doc: { message: 'x' } }, { delete: { _index: appendOnly, _id: id } }],
    });
    expect(bulkItems(bulk)).toEqual(['400 validation_exception', '400 validation_exception', '400 validation_exception']);
    // The setting is final: it cannot be turned off, not even on a closed index.
    await client.indices.close({ index: appendOnly });
    expect(await outcome(client.indices.putSettings({ index: appendOnly, body: { 'index.append_only.enabled': false } }))).toBe('400 illegal_argument_exception');
    await client.indices.open({ index: appendOnly, wait_for_active_shards: '1' });
    const { body } = await client.get({ index: appendOnly, id });
    expect((body._source as AuditRecord).message).toBeUndefined();
  });

  it('(b) with auto ids, which is what append_only expects, a replay of the same events is visible twice', async () => {
    const index = `${appendOnly}-replay`;
    await client.indices.create({ index, body: { settings: { 'index.append_only.enabled': true, number_of_replicas: 0 } } });
    const batch = records.flatMap((record) => [{ create: { _index: index } }, record]);
    expect(bulkItems(await client.bulk({ body: batch }))).toEqual(['201', '201', '201']);
    expect(bulkItems(await client.bulk({ body: batch }))).toEqual(['201', '201', '201']);
    expect(await visible(index)).toBe(6);
  });

  it("(c) modtrail's deterministic _id with `create`: a replay meets 409, settles as a duplicate, and one record stays visible", async () => {
    expect(await sink.write(records)).toEqual(records.map(() => ({ status: 'delivered' })));
    expect(await sink.write(records)).toEqual(records.map(() => ({ status: 'delivered', duplicate: true })));
    expect(await visible(modtrailIndex)).toBe(3);
  });

  it('(c) on 2.19, `create` with a custom _id is accepted by an append_only index too, and dedupes the same way', async () => {
    const index = `${appendOnly}-create`;
    await client.indices.create({ index, body: { settings: { 'index.append_only.enabled': true, number_of_replicas: 0 } } });
    const documents = records.map((record) => ({ index, id: record.event.id, body: record }));
    expect(await bulkCreate(storeClient, documents)).toEqual(records.map(() => ({ status: 'delivered' })));
    expect(await bulkCreate(storeClient, documents)).toEqual(records.map(() => ({ status: 'delivered', duplicate: true })));
    expect(await visible(index)).toBe(3);
  });

  it('(d) without append_only, a client holding the index permission could still overwrite with `index`: what roles and write blocks are for', async () => {
    const id = records[0]!.event.id;
    // Shown on a scratch copy, so the records of (c) stay as written.
    const scratch = `${prefix}-audit-2024.06.02`;
    await client.index({ index: scratch, id, body: records[0]!, refresh: true });
    expect(await outcome(client.index({ index: scratch, id, body: { ...records[0]!, message: 'overwritten' }, refresh: true }))).toBe('ok');
    expect(await outcome(client.delete({ index: scratch, id }))).toBe('ok');

    // A write-blocked day refuses both, whoever asks, until someone with the settings permission lifts the block.
    await client.indices.putSettings({ index: modtrailIndex, body: { 'index.blocks.write': true } });
    expect(await outcome(client.index({ index: modtrailIndex, id, body: { ...records[0]!, message: 'overwritten' } }))).toBe('403 cluster_block_exception');
    expect(await outcome(client.update({ index: modtrailIndex, id, body: { doc: { message: 'overwritten' } } }))).toBe('403 cluster_block_exception');
    expect(await outcome(client.delete({ index: modtrailIndex, id }))).toBe('403 cluster_block_exception');
    // And a replay into the blocked day still settles as a duplicate, not as a refusal.
    expect(await sink.write([records[0]!])).toEqual([{ status: 'delivered', duplicate: true }]);
    expect(await visible(modtrailIndex)).toBe(3);
  });

  it('store.appendOnly: modtrail creates its audit days append-only, writes and replays as before, and the server refuses overwrites', async () => {
    const hardened = `${prefix}-hard`;
    const hardenedSink = new OpenSearchSink(storeClient, hardened, { appendOnly: true });
    await hardenedSink.start();
    expect(await hardenedSink.write(records)).toEqual(records.map(() => ({ status: 'delivered' })));
    expect(await hardenedSink.write(records)).toEqual(records.map(() => ({ status: 'delivered', duplicate: true })));
    const day = `${hardened}-audit-2024.06.01`;
    const { body } = await client.indices.getSettings({ index: day, flat_settings: true });
    expect((body as Record<string, { settings: Record<string, string> }>)[day]!.settings['index.append_only.enabled']).toBe('true');
    const id = records[0]!.event.id;
    expect(await outcome(client.index({ index: day, id, body: { ...records[0]!, message: 'overwritten' } }))).toBe('400 validation_exception');
    expect(await outcome(client.update({ index: day, id, body: { doc: { message: 'overwritten' } } }))).toBe('400 validation_exception');
    expect(await outcome(client.delete({ index: day, id }))).toBe('400 validation_exception');
    // The write block of the lifecycle still applies, and a replay into a blocked day is still a duplicate.
    await client.indices.putSettings({ index: day, body: { 'index.blocks.write': true } });
    expect(await hardenedSink.write([records[0]!])).toEqual([{ status: 'delivered', duplicate: true }]);
    expect(await visible(day)).toBe(3);
  });
});
