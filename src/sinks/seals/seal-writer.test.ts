import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { DeadLetter } from '../../core/component.js';
import { ModtrailError } from '../../core/errors.js';
import { ecsVersion, type AuditRecord } from '../../core/record.js';
import { deadLetterHash } from '../../integrity/entry-hash.js';
import { generateSealKeyJwk, parseSealKeys, publicJwks, type SealKeyring } from '../../integrity/keys.js';
import { recordHash, withHash } from '../../integrity/record-hash.js';
import type { Seal } from '../../integrity/seal-format.js';
import { verifySealJws } from '../../integrity/seal.js';
import type { ChainHead } from '../../integrity/sealer.js';
import type { OpenSearchDeadLetterStore } from '../../store/opensearch/dead-letter-store.js';
import type { OpenSearchSealStore, SignedSeal, StoredRecordDigest } from '../../store/opensearch/seal-store.js';
import { createLogger } from '../../telemetry/logger.js';
import { SealWriter } from './seal-writer.js';

const topic = 'modtrail.proxy';

function record(offset: number, ingested = '2026-03-01T10:01:00.000Z'): AuditRecord {
  return withHash({
    '@timestamp': `2026-03-01T10:00:${String(offset % 60).padStart(2, '0')}.000Z`,
    ecs: { version: ecsVersion },
    event: { id: `id-${offset}`, kind: 'event', category: ['package'], type: ['access'], action: 'module.zip', outcome: 'success', dataset: 'athens.access', ingested, original: `line ${offset}` },
    observer: { product: 'athens', type: 'proxy' },
    modtrail: { origin: { topic, partition: 0, offset: String(offset) } },
  });
}

const letter = (offset: number): DeadLetter => ({
  event: { value: Buffer.from(`bad ${offset}`), headers: {}, origin: { topic, partition: 0, offset: String(offset) }, receivedAt: new Date('2026-03-01T10:00:00Z') },
  stage: 'normalize',
  code: 'parse.malformed',
  reason: 'not a line',
});

/** The seal store and dead-letter store as the writer uses them, in memory: a fake collaborator for a unit test. */
class MemoryStores {
  readonly seals: SignedSeal[] = [];
  readonly stored = new Map<string, AuditRecord>();
  head: ChainHead | undefined;
  conflict = false;
  /** Seal writes fail while this is above zero, one fewer each time. */
  failures = 0;
  /** Seal writes wait for this. */
  gate: Promise<void> = Promise.resolve();

  sealStore(): OpenSearchSealStore {
    return {
      head: async () => this.head,
      create: async (signed: SignedSeal) => {
        await this.gate;
        if (this.conflict) throw new ModtrailError('integrity.seal_conflict', 'taken');
        if (this.failures > 0) {
          this.failures--;
          throw new ModtrailError('store.unavailable', 'storing seal: connection refused');
        }
        this.seals.push(signed);
      },
      storedRecords: async (records: readonly AuditRecord[]) => {
        const found = new Map<string, StoredRecordDigest>();
        for (const r of records) {
          const copy = this.stored.get(r.event.id);
          if (copy) found.set(r.event.id, { origin: copy.modtrail!.origin!, id: copy.event.id, hash: recordHash(copy), timestamp: copy['@timestamp'] });
        }
        return found;
      },
    } as unknown as OpenSearchSealStore;
  }

  deadLetterStore(): OpenSearchDeadLetterStore {
    return {
      stored: async (letters: readonly DeadLetter[]) =>
        new Map(letters.map((l) => [`${topic}/0/${l.event.origin.offset}`, { origin: l.event.origin, original: l.event.value, code: l.code, reason: l.reason }])),
    } as unknown as OpenSearchDeadLetterStore;
  }
}

async function writer(stores: MemoryStores, cadence = { sealEveryMs: 60_000, sealEveryRecords: 100 }, onFatal: (error: Error) => void = () => undefined) {
  const keyring: SealKeyring = await parseSealKeys(JSON.stringify(await generateSealKeyJwk('k1')), { source: 'test' });
  const sealWriter = new SealWriter(stores.sealStore(), stores.deadLetterStore(), async () => keyring, cadence, createLogger('silent'), onFatal);
  await sealWriter.start();
  return { sealWriter, jwks: publicJwks(keyring) };
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

const payload = (signed: SignedSeal): Seal => JSON.parse(Buffer.from(signed.jws.split('.')[1]!, 'base64url').toString()) as Seal;

describe('SealWriter', () => {
  it('seals fresh records by their hash, replays by the stored copy, dead letters by their evidence', async () => {
    const stores = new MemoryStores();
    const { sealWriter, jwks } = await writer(stores);
    const original = record(1);
    stores.stored.set(original.event.id, original);
    const replay = record(1, '2026-03-02T00:00:00.000Z');
    expect(recordHash(replay)).not.toBe(recordHash(original));

    await sealWriter.settled({ records: [{ record: record(0), duplicate: false }, { record: replay, duplicate: true }], deadLetters: [letter(2)] });
    expect(sealWriter.committable(topic, 0)).toBeUndefined();
    await sealWriter.flush();
    await sealWriter.stop();

    expect(stores.seals).toHaveLength(1);
    const seal = payload(stores.seals[0]!);
    expect(seal.offsets).toEqual({ first: '0', last: '2' });
    expect(seal.records[1]).toMatchObject({ kind: 'record', id: 'id-1', hash: recordHash(original) });
    expect(seal.records[2]).toMatchObject({ kind: 'dead_letter', hash: deadLetterHash({ origin: letter(2).event.origin, original: letter(2).event.value, code: 'parse.malformed', reason: 'not a line' }) });
    expect((await verifySealJws(stores.seals[0]!.jws, jwks)).ok).toBe(true);
    expect(sealWriter.committable(topic, 0)).toBe('3');
  });

  it('continues the chain it reads from the store and seals at the record cadence', async () => {
    const stores = new MemoryStores();
    stores.head = { sequence: 7, previous: 'c'.repeat(64), nextOffset: 10n };
    const { sealWriter } = await writer(stores, { sealEveryMs: 60_000, sealEveryRecords: 2 });
    let sealed = 0;
    sealWriter.onSealed(() => sealed++);
    await sealWriter.settled({ records: [{ record: record(9), duplicate: false }, { record: record(10), duplicate: false }], deadLetters: [] });
    expect(stores.seals).toHaveLength(0); // offset 9 is already sealed: only one pending
    await sealWriter.settled({ records: [{ record: record(11), duplicate: false }], deadLetters: [] });
    await until(() => stores.seals.length > 0);
    expect(stores.seals).toHaveLength(1);
    expect(payload(stores.seals[0]!)).toMatchObject({ sequence: 7, previous: 'c'.repeat(64), offsets: { first: '10', last: '11' } });
    expect(sealed).toBe(1);
    await sealWriter.stop();
  });

  it('settles the batch that fills a seal before that seal is stored, and commits its offsets only once it is', async () => {
    const stores = new MemoryStores();
    let open = (): void => undefined;
    stores.gate = new Promise((resolve) => (open = resolve));
    const { sealWriter } = await writer(stores, { sealEveryMs: 60_000, sealEveryRecords: 2 });
    await sealWriter.settled({ records: [{ record: record(0), duplicate: false }, { record: record(1), duplicate: false }], deadLetters: [] });
    expect(stores.seals).toHaveLength(0);
    expect(sealWriter.committable(topic, 0)).toBeUndefined();
    // The next batch is accounted only after the seal before it: a chain has one order.
    const next = sealWriter.settled({ records: [{ record: record(2), duplicate: false }], deadLetters: [] });
    open();
    await next;
    expect(stores.seals.map((s) => payload(s).offsets)).toEqual([{ first: '0', last: '1' }]);
    expect(sealWriter.committable(topic, 0)).toBe('2');
    await sealWriter.stop();
  });

  it('cuts a seal that failed at the record cadence again at the next batch, and fails that batch if it cannot', async () => {
    const stores = new MemoryStores();
    stores.failures = 2;
    const { sealWriter } = await writer(stores, { sealEveryMs: 60_000, sealEveryRecords: 2 });
    await sealWriter.settled({ records: [{ record: record(0), duplicate: false }, { record: record(1), duplicate: false }], deadLetters: [] });
    await expect(sealWriter.settled({ records: [{ record: record(2), duplicate: false }], deadLetters: [] })).rejects.toMatchObject({ code: 'store.unavailable' });
    expect(stores.seals).toHaveLength(0);
    expect(sealWriter.committable(topic, 0)).toBeUndefined();
    // The store is back: the batch consumed again seals what was pending, with nothing lost.
    await sealWriter.settled({ records: [{ record: record(2), duplicate: false }], deadLetters: [] });
    await sealWriter.flush();
    expect(stores.seals.map((s) => payload(s).offsets)).toEqual([
      { first: '0', last: '1' },
      { first: '2', last: '2' },
    ]);
    expect(sealWriter.committable(topic, 0)).toBe('3');
    await sealWriter.stop();
  });

  it('seals offsets Kafka passed over (a trailing transaction marker) as gaps, and makes them committable', async () => {
    const stores = new MemoryStores();
    stores.head = { sequence: 3, previous: 'd'.repeat(64), nextOffset: 20n };
    const { sealWriter } = await writer(stores);
    await sealWriter.settled({ records: [{ record: record(20), duplicate: false }], deadLetters: [] });
    await sealWriter.passedOver(topic, 0, '21', '21');
    expect(sealWriter.committable(topic, 0)).toBe('20');
    await sealWriter.flush();
    expect(stores.seals).toHaveLength(1);
    expect(payload(stores.seals[0]!).offsets).toEqual({ first: '20', last: '21' });
    expect(payload(stores.seals[0]!).records.map((entry) => entry.kind)).toEqual(['record', 'gap']);
    expect(sealWriter.committable(topic, 0)).toBe('22');
    await sealWriter.stop();
  });

  it('seals at the time cadence without a new batch', async () => {
    const stores = new MemoryStores();
    const { sealWriter } = await writer(stores, { sealEveryMs: 50, sealEveryRecords: 100 });
    await sealWriter.settled({ records: [{ record: record(0), duplicate: false }], deadLetters: [] });
    await until(() => stores.seals.length > 0);
    expect(stores.seals).toHaveLength(1);
    await sealWriter.stop();
  });

  it('stops the service on a seal conflict instead of forking, and commits nothing past it', async () => {
    const stores = new MemoryStores();
    stores.conflict = true;
    const fatal: Error[] = [];
    const { sealWriter } = await writer(stores, undefined, (error) => fatal.push(error));
    await sealWriter.settled({ records: [{ record: record(0), duplicate: false }], deadLetters: [] });
    await expect(sealWriter.flush()).rejects.toMatchObject({ code: 'integrity.seal_conflict' });
    expect(fatal).toHaveLength(1);
    expect(sealWriter.committable(topic, 0)).toBeUndefined();
  });

  it('fails the batch when a replayed record cannot be read back, so it is not committed', async () => {
    const stores = new MemoryStores();
    const { sealWriter } = await writer(stores);
    await expect(sealWriter.settled({ records: [{ record: record(0), duplicate: true }], deadLetters: [] })).rejects.toMatchObject({ code: 'store.unavailable' });
    await sealWriter.stop();
    expect(stores.seals).toHaveLength(0);
  });

  it('after a new assignment reads the chain again rather than trusting what it held', async () => {
    const stores = new MemoryStores();
    const { sealWriter } = await writer(stores);
    await sealWriter.settled({ records: [{ record: record(0), duplicate: false }], deadLetters: [] });
    // Meanwhile another member sealed 0..4.
    stores.head = { sequence: 1, previous: 'd'.repeat(64), nextOffset: 5n };
    await sealWriter.assigned();
    await sealWriter.settled({ records: [{ record: record(5), duplicate: false }], deadLetters: [] });
    await sealWriter.flush();
    expect(stores.seals.map((s) => payload(s).offsets)).toEqual([{ first: '5', last: '5' }]);
    expect(payload(stores.seals[0]!).sequence).toBe(1);
    await sealWriter.stop();
  });

  it('logs the kid it signs with, never the key', async () => {
    const jwk = await generateSealKeyJwk('logged-kid');
    let text = '';
    const logger = createLogger(
      'debug',
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          text += chunk.toString();
          done();
        },
      }),
    );
    const stores = new MemoryStores();
    const keyring = await parseSealKeys(JSON.stringify(jwk), { source: 'test' });
    const sealWriter = new SealWriter(stores.sealStore(), stores.deadLetterStore(), async () => keyring, { sealEveryMs: 60_000, sealEveryRecords: 1 }, logger, () => undefined);
    await sealWriter.start();
    await sealWriter.settled({ records: [{ record: record(0), duplicate: false }], deadLetters: [] });
    await sealWriter.stop();
    logger.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(text).toContain('logged-kid');
    expect(text).toContain('sealed');
    expect(text).not.toContain(jwk.d!);
  });
});
