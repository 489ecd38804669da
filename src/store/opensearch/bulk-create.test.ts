import type { Client } from '@opensearch-project/opensearch';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../integrity/canonical-json.js';
import { withHash } from '../../integrity/record-hash.js';
import { minimalRecord } from '../../../test/support/sample-record.js';
import { bulkCreate } from './bulk-create.js';

// Item answers as OpenSearch 2.19.6 gives them (seen in test/integration/storage-lifecycle.test.ts against the real server).
const blocked = { status: 403, error: { type: 'cluster_block_exception', reason: 'index [mt-audit-2020.01.01] blocked by: [FORBIDDEN/8/index write (api)];' } };
const closed = { status: 400, error: { type: 'index_closed_exception', reason: 'closed' } };
const forbidden = { status: 403, error: { type: 'security_exception', reason: 'no permissions for [indices:data/write/bulk[s]]' } };

function fakeClient(items: object[], found: boolean[] | Error) {
  const lookedUp: unknown[] = [];
  const client = {
    bulk: async () => ({ body: { items: items.map((create) => ({ create })) } }),
    mget: async ({ body }: { body: { docs: unknown[] } }) => {
      lookedUp.push(...body.docs);
      if (found instanceof Error) throw found;
      return { body: { docs: found.map((f) => ({ found: f })) } };
    },
  };
  return { client: client as unknown as Client, lookedUp };
}

const docs = (n: number) => Array.from({ length: n }, (_, i) => ({ index: 'mt-audit-2020.01.01', id: `id${i}`, body: {} }));

describe('bulkCreate settles a write-blocked or closed index', () => {
  it('as store.index_closed naming the index, unless the document is already stored (a replay)', async () => {
    const { client, lookedUp } = fakeClient([{ status: 201 }, blocked, blocked, closed], [true, false, false]);
    const settlements = await bulkCreate(client, docs(4));
    expect(settlements[0]).toEqual({ status: 'delivered' });
    expect(settlements[1]).toEqual({ status: 'delivered', duplicate: true });
    expect(settlements[2]).toMatchObject({ status: 'rejected', code: 'store.index_closed' });
    expect((settlements[2] as { reason: string }).reason).toMatch(/^index mt-audit-2020\.01\.01 takes no more writes.*403 cluster_block_exception/);
    expect(settlements[3]).toMatchObject({ status: 'rejected', code: 'store.index_closed' });
    expect(lookedUp).toEqual([
      { _index: 'mt-audit-2020.01.01', _id: 'id1', _source: false },
      { _index: 'mt-audit-2020.01.01', _id: 'id2', _source: false },
      { _index: 'mt-audit-2020.01.01', _id: 'id3', _source: false },
    ]);
  });

  it('asks for a retry when it cannot tell whether a refused record is stored', async () => {
    const { client } = fakeClient([blocked], new Error('connect ECONNREFUSED'));
    expect(await bulkCreate(client, docs(1))).toEqual([{ status: 'retry', reason: expect.stringContaining('ECONNREFUSED') }]);
  });

  it('leaves other refusals alone: a 403 from the security plugin is store.rejected, and nothing is looked up', async () => {
    const { client, lookedUp } = fakeClient([forbidden, { status: 409 }], [true]);
    const settlements = await bulkCreate(client, docs(2));
    expect(settlements[0]).toMatchObject({ status: 'rejected', code: 'store.rejected' });
    expect(settlements[1]).toEqual({ status: 'delivered', duplicate: true });
    expect(lookedUp).toEqual([]);
  });
});

describe('bulkCreate writes NDJSON', () => {
  it('one create action and one document per line, a hashed record as its stored JSON', async () => {
    let sent: unknown;
    const client = { bulk: async ({ body }: { body: unknown }) => ((sent = body), { body: { items: [{ create: { status: 201 } }, { create: { status: 201 } }] } }) } as unknown as Client;
    const hashed = withHash({ ...minimalRecord, modtrail: { origin: { topic: 't', partition: 0, offset: '1' } } });
    await bulkCreate(client, [
      { index: 'mt-audit-2020.01.01', id: 'a"1', body: { b: 1, a: 'x' } },
      { index: 'mt-audit-2020.01.01', id: hashed.event.id, body: hashed },
    ]);
    // The body goes out as bytes, as the client sends a Buffer.
    const lines = (sent as Buffer).toString('utf8').split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe('');
    expect(JSON.parse(lines[0]!)).toEqual({ create: { _index: 'mt-audit-2020.01.01', _id: 'a"1' } });
    expect(lines[1]).toBe('{"b":1,"a":"x"}');
    expect(lines[3]).toBe(canonicalize(hashed));
  });
});

describe('bulkCreate after a retry', () => {
  it('serializes a hashed record again once its stored JSON was handed over, to the same content', async () => {
    const sent: string[] = [];
    const client = { bulk: async ({ body }: { body: Buffer }) => (sent.push(body.toString('utf8')), { body: { items: [{ create: { status: 201 } }] } }) } as unknown as Client;
    const hashed = withHash({ ...minimalRecord, modtrail: { origin: { topic: 't', partition: 0, offset: '2' } } });
    const doc = { index: 'mt-audit-2020.01.01', id: hashed.event.id, body: hashed };
    await bulkCreate(client, [doc]);
    await bulkCreate(client, [doc]);
    expect(sent[0]!.split('\n')[1]).toBe(canonicalize(hashed));
    expect(JSON.parse(sent[1]!.split('\n')[1]!)).toEqual(hashed);
  });
});
