// Records, dead letters and signed seals for export tests: two partitions, a dead letter and a gap, records a
// minute apart so a time range cuts through seals, and a few unsealed records at the head.
import type { AuditRecord } from '../../src/core/record.js';
import type { DeadLetterEvidence } from '../../src/integrity/entry-hash.js';
import { generateSealKeyJwk, parseSealKeys, type SealKeyring } from '../../src/integrity/keys.js';
import type { SealStream } from '../../src/integrity/seal-format.js';
import { buildSeal, sealHash, signSeal, type SealItem } from '../../src/integrity/seal.js';
import type { DeadLetterLine } from '../../src/export/bundle-layout.js';
import type { ExportSource, StoredSeal } from '../../src/export/export-source.js';
import { inTimeRange, matchesFilters, type ExportFilters } from '../../src/export/filters.js';
import type { TimeRange } from '../../src/store/audit-store.js';
import { streamRecord } from '../support/sample-record.js';

const start = Date.UTC(2026, 2, 1, 10, 0, 0);
const users = ['jdoe', 'asmith'];

export function fixtureRecord(stream: SealStream, offset: number, minute: number): AuditRecord {
  const time = new Date(start + minute * 60_000);
  return streamRecord(
    stream,
    offset,
    { time, ingested: new Date(time.getTime() + 500), originalTail: ', "quoted", =1+1', severity: offset % 5 === 0 ? 4 : 1, user: users[offset % users.length]! },
    // A cell with a line break and a leading formula character, for the CSV's quoting and its guard.
    offset % 7 === 0 ? { goenv: { name: 'GOFLAGS', value: '-mod=mod\n=HYPERLINK("x")' } } : {},
  );
}

export interface ExportFixture {
  keyring: SealKeyring;
  records: AuditRecord[];
  deadLetters: DeadLetterLine[];
  seals: StoredSeal[];
}

/** The fixture's own topic names, so integration tests on a shared cluster never meet another test's data. */
export async function exportFixture(topic = 'modtrail.proxy', keyring?: SealKeyring): Promise<ExportFixture> {
  const ring = keyring ?? (await parseSealKeys(JSON.stringify(await generateSealKeyJwk('export-test-1')), { source: 'test key' }));
  const records: AuditRecord[] = [];
  const letters: DeadLetterEvidence[] = [];
  const seals: StoredSeal[] = [];
  // Partition 0: offsets 0..29 in three seals, 12 dead-lettered, 13 a gap, 30..32 not sealed yet; minute = offset.
  // Partition 1: offsets 0..14 in one seal, minute = 2 * offset.
  const plan: { stream: SealStream; seals: [number, number][]; unsealed: number[]; minute: (offset: number) => number }[] = [
    { stream: { topic, partition: 0 }, seals: [[0, 9], [10, 19], [20, 29]], unsealed: [30, 31, 32], minute: (o) => (o >= 30 ? o - 12 : o) },
    { stream: { topic, partition: 1 }, seals: [[0, 14]], unsealed: [], minute: (o) => 2 * o },
  ];
  for (const { stream, seals: ranges, unsealed, minute } of plan) {
    let previous: string | null = null;
    for (const [sequence, [first, last]] of ranges.entries()) {
      const items: SealItem[] = [];
      for (let offset = first; offset <= last; offset++) {
        if (stream.partition === 0 && offset === 12) {
          const letter: DeadLetterEvidence = { origin: { ...stream, offset: '12' }, original: Buffer.from('\u0000garbage line'), code: 'parse.malformed', reason: 'not an Athens access-log line' };
          letters.push(letter);
          items.push({ kind: 'dead_letter', letter });
        } else if (stream.partition === 0 && offset === 13) {
          items.push({ kind: 'gap', offset: '13', reason: 'no message at this offset (transaction marker)' });
        } else {
          const record = fixtureRecord(stream, offset, minute(offset));
          records.push(record);
          items.push({ kind: 'record', record });
        }
      }
      const seal = buildSeal({ stream, sequence, previous, offsets: { first: String(first), last: String(last) }, items, sealedAt: new Date(start + (last + 1) * 60_000 + 5000) });
      previous = sealHash(seal);
      const jws = await signSeal(seal, { kid: ring.active.kid, privateKey: ring.active.privateKey, alg: ring.active.alg });
      seals.push({ jws, stream, sequence, offsets: seal.offsets, time: seal.time });
    }
    for (const offset of unsealed) records.push(fixtureRecord(stream, offset, minute(offset)));
  }
  const deadLetters = letters.map((letter) => ({
    origin: letter.origin,
    code: letter.code,
    reason: letter.reason,
    stage: 'normalize',
    time: new Date(start + 12 * 60_000).toISOString(),
    original_base64: Buffer.from(letter.original).toString('base64'),
  }));
  return { keyring: ring, records, deadLetters, seals };
}

/** A store in memory with the same selection rules as the OpenSearch one. */
export function memorySource(fixture: ExportFixture): ExportSource {
  const pages = async function* <T>(items: T[], size: number) {
    for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
  };
  const offsetIn = (origin: { topic: string; partition: number; offset: string } | undefined, stream: { topic: string; partition: number }, offsets: { first: string; last: string }) =>
    origin !== undefined && origin.topic === stream.topic && origin.partition === stream.partition && BigInt(origin.offset) >= BigInt(offsets.first) && BigInt(origin.offset) <= BigInt(offsets.last);
  return {
    seals: {
      async *sealsCovering(range: TimeRange): AsyncIterable<StoredSeal[]> {
        const meets = (seal: StoredSeal) => seal.time !== null && Date.parse(seal.time.from) < range.to.getTime() && Date.parse(seal.time.to) >= range.from.getTime();
        const chosen: StoredSeal[] = [];
        for (const stream of new Set(fixture.seals.map((s) => `${s.stream.topic}/${s.stream.partition}`))) {
          const own = fixture.seals.filter((s) => `${s.stream.topic}/${s.stream.partition}` === stream);
          const hits = own.filter(meets).map((s) => s.sequence);
          if (hits.length === 0) continue;
          chosen.push(...own.filter((s) => s.sequence >= Math.min(...hits) && s.sequence <= Math.max(...hits)));
        }
        yield chosen.slice(0, 2);
        yield chosen.slice(2);
      },
    },
    records: {
      scan: (range: TimeRange, filters: ExportFilters, size: number) =>
        pages(
          fixture.records
            .filter((r) => inTimeRange(r, range.from, range.to) && matchesFilters(r, filters))
            .map((r) => ({ json: Buffer.from(JSON.stringify(r)), origin: r.modtrail?.origin })),
          size,
        ),
      count: async (range: TimeRange, filters: ExportFilters) => fixture.records.filter((r) => inTimeRange(r, range.from, range.to) && matchesFilters(r, filters)).length,
      sealedOutside: (stream, offsets, range, size) => pages(fixture.records.filter((r) => offsetIn(r.modtrail?.origin, stream, offsets) && !inTimeRange(r, range.from, range.to)), size),
    },
    deadLetters: {
      inOffsets: (stream, offsets, size) => pages(fixture.deadLetters.filter((l) => offsetIn(l.origin, stream, offsets)), size),
      inTime: (range, size) => pages(fixture.deadLetters.filter((l) => l.time !== undefined && Date.parse(l.time) >= range.from.getTime() && Date.parse(l.time) < range.to.getTime()), size),
    },
  };
}
