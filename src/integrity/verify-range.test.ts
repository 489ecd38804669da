import type { JSONWebKeySet } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ecsVersion, type AuditRecord } from '../core/record.js';
import { generateSealKeyJwk, parseSealKeys, publicJwks } from './keys.js';
import { withHash } from './record-hash.js';
import type { Seal, SealStream } from './seal-format.js';
import { sealHash, signSeal } from './seal.js';
import { PartitionSealer } from './sealer.js';
import { verifyRange, type IntegritySource, type OffsetBounds, type SealSummary } from './verify-range.js';

const stream: SealStream = { topic: 'modtrail.proxy', partition: 0 };
const range = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') };

function record(offset: number): AuditRecord {
  return withHash({
    '@timestamp': new Date(Date.UTC(2026, 2, 1, 10, 0, offset)).toISOString(),
    ecs: { version: ecsVersion },
    event: { id: `id-${offset}`, kind: 'event', category: ['package'], type: ['access'], action: 'module.zip', outcome: 'success', dataset: 'athens.access', ingested: '2026-03-01T11:00:00.000Z', original: `line ${offset}` },
    observer: { product: 'athens', type: 'proxy' },
    modtrail: { origin: { ...stream, offset: String(offset) } },
  });
}

/** An in-memory store: a fake collaborator standing in for OpenSearch in this unit test. */
class MemorySource implements IntegritySource {
  constructor(
    readonly seals: { seal: Seal; jws: string }[],
    readonly kept: AuditRecord[],
    readonly withoutOrigin: AuditRecord[] = [],
  ) {}

  async streams() {
    const offsets = [...this.kept.map((r) => BigInt(r.modtrail!.origin!.offset)), ...this.seals.flatMap((s) => [BigInt(s.seal.offsets.first), BigInt(s.seal.offsets.last)])];
    const first = offsets.reduce((a, b) => (b < a ? b : a));
    const last = offsets.reduce((a, b) => (b > a ? b : a));
    return new Map([['s', { stream, bounds: { first, last } }]]);
  }

  async sealSummaries(): Promise<SealSummary[]> {
    return this.seals.map(({ seal }) => ({ sequence: seal.sequence, first: BigInt(seal.offsets.first), last: BigInt(seal.offsets.last) })).sort((a, b) => a.sequence - b.sequence);
  }

  async sealJws(_stream: SealStream, sequences: { from: number; to: number }): Promise<string[]> {
    return this.seals.filter(({ seal }) => seal.sequence >= sequences.from && seal.sequence <= sequences.to).map(({ jws }) => jws);
  }

  reads = 0;
  async *records(_stream: SealStream, bounds: OffsetBounds): AsyncIterable<AuditRecord[]> {
    this.reads++;
    yield this.kept.filter((r) => BigInt(r.modtrail!.origin!.offset) >= bounds.first && BigInt(r.modtrail!.origin!.offset) <= bounds.last);
  }

  async deadLetters() {
    return [];
  }

  async *unattributed(): AsyncIterable<AuditRecord[]> {
    if (this.withoutOrigin.length > 0) yield this.withoutOrigin;
  }
}

let jwks: JSONWebKeySet;
let chain: { seal: Seal; jws: string }[];
const stored = Array.from({ length: 20 }, (_, offset) => record(offset));

beforeAll(async () => {
  const keyring = await parseSealKeys(JSON.stringify(await generateSealKeyJwk('k')), { source: 'test' });
  jwks = publicJwks(keyring);
  const sealer = new PartitionSealer(stream, { sequence: 0, previous: null, nextOffset: 0n });
  chain = [];
  for (let offset = 0; offset < 20; offset++) {
    const r = stored[offset]!;
    sealer.add({ kind: 'record', origin: r.modtrail!.origin!, id: r.event.id, hash: r.event.hash!, timestamp: r['@timestamp'] }, 0);
    if (offset % 4 === 3) {
      const seal = sealer.cut(new Date(Date.UTC(2026, 2, 1, 12, 0, offset)))!;
      chain.push({ seal, jws: await signSeal(seal, { kid: keyring.active.kid, privateKey: keyring.active.privateKey }) });
      sealer.sealed(seal, sealHash(seal), 0);
    }
  }
});

describe('verifyRange', () => {
  it('is clean however the chain is cut into windows, reading one window at a time', async () => {
    for (const windowEntries of [1, 4, 8, 1000]) {
      const source = new MemorySource(chain, stored);
      const result = await verifyRange(source, range, jwks, { windowEntries });
      expect(result.problems).toEqual([]);
      expect(result).toMatchObject({ streams: 1, seals: 5, records: 20 });
      expect(source.reads).toBe(windowEntries === 1 || windowEntries === 4 ? 5 : windowEntries === 8 ? 3 : 1);
    }
  });

  it('finds the same tampering with and without windows, also across a window boundary', async () => {
    const tampered = stored.map((r) => (r.event.id === 'id-9' ? { ...r, event: { ...r.event, action: 'module.info' } } : r)).filter((r) => r.event.id !== 'id-14');
    const withoutSeal2 = chain.filter(({ seal }) => seal.sequence !== 2);
    const summaries: string[][] = [];
    for (const windowEntries of [4, 1000]) {
      const result = await verifyRange(new MemorySource(withoutSeal2, tampered), range, jwks, { windowEntries });
      summaries.push(result.problems.map((p) => `${p.kind} ${p.sequence} ${p.recordId ?? ''}`).sort());
    }
    expect(summaries[0]).toEqual(summaries[1]);
    // Seal 2 (offsets 8..11, holding the modified record 9) is gone: its range is a chain break, not judged record by record.
    expect(summaries[0]).toEqual(['chain_broken 2 ', 'record_deleted 3 id-14']);
  });

  it('names a broken link between windows', async () => {
    const relinked = [...chain];
    const forged = { ...chain[3]!.seal, previous: 'f'.repeat(64) };
    const keyring = await parseSealKeys(JSON.stringify(await generateSealKeyJwk('k2')), { source: 'test' });
    relinked[3] = { seal: forged, jws: await signSeal(forged, { kid: 'k2', privateKey: keyring.active.privateKey }) };
    const both = { keys: [...jwks.keys, ...publicJwks(keyring).keys] };
    for (const windowEntries of [4, 1000]) {
      const result = await verifyRange(new MemorySource(relinked, stored), range, both, { windowEntries });
      // Seal 3 names a wrong previous; and being another payload, it hashes to what seal 4 does not name either.
      expect(result.problems.map((p) => `${p.kind} ${p.sequence}`)).toEqual(['chain_broken 3', 'chain_broken 4']);
    }
  });

  it('reports a record that names no Kafka origin as inserted', async () => {
    const { modtrail: _origin, ...forged } = record(99);
    const stray = withHash({ ...forged, event: { ...forged.event, id: 'forged' } });
    const result = await verifyRange(new MemorySource(chain, stored, [stray]), range, jwks);
    expect(result.problems.map((p) => `${p.kind} ${p.recordId}`)).toEqual(['record_inserted forged']);
    expect(result.records).toBe(21);
  });
});
