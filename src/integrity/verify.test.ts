import { createHash } from 'node:crypto';
import type { JSONWebKeySet } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../core/record.js';
import type { DeadLetterEvidence } from './entry-hash.js';
import { generateSealKeyJwk, parseSealKeys, publicJwks, type SealKeyring } from './keys.js';
import type { IntegrityProblem } from './problems.js';
import { recordHash, withHash } from './record-hash.js';
import type { Seal, SealStream } from './seal-format.js';
import { buildSeal, sealHash, signSeal, type SealItem } from './seal.js';
import { verifyChain, type VerifyInput } from './verify.js';
import { streamRecord } from '../../test/support/sample-record.js';

const proxy: SealStream = { topic: 'modtrail.proxy', partition: 0 };
const agent: SealStream = { topic: 'modtrail.agent', partition: 1 };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The record at an offset of a stream: stamped `offset % 60` seconds past 10:00, all ingested at 10:01. */
const record = (stream: SealStream, offset: number): AuditRecord =>
  streamRecord(stream, offset, { time: new Date(Date.UTC(2026, 2, 1, 10, 0, offset % 60)), ingested: new Date('2026-03-01T10:01:00.000Z') });

const deadLetter = (stream: SealStream, offset: number): DeadLetterEvidence => ({
  origin: { ...stream, offset: String(offset) },
  original: Buffer.from(`garbage ${offset}`),
  code: 'parse.malformed',
  reason: 'not an access-log line',
});

interface Range {
  first: number;
  last: number;
  deadLetters?: number[];
  gaps?: number[];
}

interface Fixture {
  /** The seals as data, by stream name and sequence, to build tampered variants from. */
  seals: Seal[];
  jws: string[];
  records: AuditRecord[];
  deadLetters: DeadLetterEvidence[];
}

let k1: SealKeyring;
let k2: SealKeyring;
let jwks: JSONWebKeySet;

beforeAll(async () => {
  k1 = await parseSealKeys(JSON.stringify(await generateSealKeyJwk('2026-01')), { source: 'k1' });
  k2 = await parseSealKeys(JSON.stringify(await generateSealKeyJwk('2026-07')), { source: 'k2' });
  // After a rotation the JWKS lists the new key and keeps the old one.
  jwks = { keys: [...publicJwks(k2).keys, ...publicJwks(k1).keys] };
});

/** A chain of seals over consecutive ranges of one stream, with the records and dead letters they seal. */
async function chain(stream: SealStream, ranges: Range[], signer: (sequence: number) => SealKeyring = () => k1): Promise<Fixture> {
  const fixture: Fixture = { seals: [], jws: [], records: [], deadLetters: [] };
  let previous: string | null = null;
  for (const [sequence, range] of ranges.entries()) {
    const items: SealItem[] = [];
    for (let offset = range.first; offset <= range.last; offset++) {
      if (range.deadLetters?.includes(offset)) {
        const letter = deadLetter(stream, offset);
        fixture.deadLetters.push(letter);
        items.push({ kind: 'dead_letter', letter });
      } else if (range.gaps?.includes(offset)) {
        items.push({ kind: 'gap', offset: String(offset), reason: 'no message at this offset (transaction marker)' });
      } else {
        const stored = record(stream, offset);
        fixture.records.push(stored);
        items.push({ kind: 'record', record: stored });
      }
    }
    const seal = buildSeal({
      stream,
      sequence,
      previous,
      offsets: { first: String(range.first), last: String(range.last) },
      items,
      sealedAt: new Date(Date.UTC(2026, 2, 1, 11, sequence)),
    });
    fixture.seals.push(seal);
    fixture.jws.push(await signSeal(seal, signer(sequence).active));
    previous = sealHash(seal);
  }
  return fixture;
}

/** The standard scene: three seals over modtrail.proxy/0 (with a dead letter and two gaps) and one over modtrail.agent/1. */
async function scene() {
  const main = await chain(proxy, [{ first: 100, last: 103 }, { first: 104, last: 108, deadLetters: [105], gaps: [106, 107] }, { first: 109, last: 112 }]);
  const other = await chain(agent, [{ first: 0, last: 2 }]);
  const input: VerifyInput = {
    seals: [...main.jws, ...other.jws],
    records: [...main.records, ...other.records],
    deadLetters: [...main.deadLetters, ...other.deadLetters],
    jwks,
  };
  return { main, other, input };
}

const explicitGap = { kind: 'offset_gap', stream: proxy, sequence: 1, offsets: { first: '106', last: '107' } };
const find = (records: readonly AuditRecord[], offset: number, stream = proxy) =>
  records.find((stored) => stored.modtrail?.origin?.offset === String(offset) && stored.modtrail.origin.topic === stream.topic)!;
const replace = (records: readonly AuditRecord[], target: AuditRecord, by: AuditRecord[]) => records.flatMap((stored) => (stored === target ? by : [stored]));
const kinds = (problems: IntegrityProblem[]) => problems.map((problem) => problem.kind);

describe('verifyChain: an untouched range', () => {
  it('reports nothing but the explicit gap, which is not silence', async () => {
    const { input } = await scene();
    const problems = await verifyChain(input);
    expect(problems).toEqual([expect.objectContaining(explicitGap)]);
    expect(problems[0]!.detail).toBe('modtrail.proxy/0 offsets 106..107 hold nothing, sealed as a gap in seal 1: no message at this offset (transaction marker)');
  });

  it('a chain without gaps reports nothing at all', async () => {
    const clean = await chain(proxy, [{ first: 0, last: 4 }, { first: 5, last: 9, deadLetters: [7] }]);
    expect(await verifyChain({ seals: clean.jws, records: clean.records, deadLetters: clean.deadLetters, jwks })).toEqual([]);
  });

  it('does not care about the order seals and records are given in, or a seal given twice', async () => {
    const clean = await chain(proxy, [{ first: 0, last: 4 }, { first: 5, last: 9 }, { first: 10, last: 12 }]);
    const seals = [clean.jws[2]!, clean.jws[0]!, clean.jws[1]!, clean.jws[0]!];
    expect(await verifyChain({ seals, records: [...clean.records].reverse(), jwks })).toEqual([]);
  });

  it('takes records after the last seal as not sealed yet, and a chain that starts later as out of scope', async () => {
    const clean = await chain(proxy, [{ first: 0, last: 4 }, { first: 5, last: 9 }]);
    const later = [record(proxy, 10), record(proxy, 11)];
    expect(await verifyChain({ seals: clean.jws, records: [...clean.records, ...later], jwks })).toEqual([]);
    // Seal 1 alone: records before it belong to seal 0, which was not asked about.
    expect(await verifyChain({ seals: [clean.jws[1]!], records: clean.records, jwks })).toEqual([]);
  });
});

describe('verifyChain: tampered records', () => {
  it('record_modified: a field changed, even with event.hash recomputed to match', async () => {
    const { input } = await scene();
    const target = find(input.records, 101);
    const downgraded = withHash({ ...target, event: { ...target.event, severity: 1, kind: 'event' }, rule: { id: [], name: [], ruleset: 'x', version: 'y' } });
    const problems = await verifyChain({ ...input, records: replace(input.records, target, [downgraded]) });
    expect(problems).toEqual([
      expect.objectContaining({ kind: 'record_modified', stream: proxy, sequence: 0, offsets: { first: '101', last: '101' }, recordId: target.event.id }),
      expect.objectContaining(explicitGap),
    ]);
    expect(problems[0]!.detail).toContain(`hashes to ${recordHash(downgraded)}, but its seal entry says ${recordHash(target)}`);
  });

  it('record_modified: a deep field changed and event.hash left alone', async () => {
    const { input } = await scene();
    const target = find(input.records, 110);
    const changed = { ...target, package: { ...target.package!, version: 'v9.9.9' } };
    expect(kinds(await verifyChain({ ...input, records: replace(input.records, target, [changed]) }))).toEqual(['offset_gap', 'record_modified']);
  });

  it('record_modified: event.hash itself changed or removed', async () => {
    const { input } = await scene();
    const target = find(input.records, 100);
    const wrongHash = { ...target, event: { ...target.event, hash: sha256('other') } };
    const { hash: _removed, ...event } = target.event;
    for (const changed of [wrongHash, { ...target, event }]) {
      const problems = await verifyChain({ ...input, records: replace(input.records, target, [changed]) });
      expect(problems[0]).toMatchObject({ kind: 'record_modified', recordId: target.event.id, sequence: 0 });
    }
  });

  it('record_deleted: a sealed record no longer stored', async () => {
    const { input } = await scene();
    const target = find(input.records, 111);
    const problems = await verifyChain({ ...input, records: replace(input.records, target, []) });
    expect(problems).toEqual([
      expect.objectContaining(explicitGap),
      expect.objectContaining({ kind: 'record_deleted', stream: proxy, sequence: 2, offsets: { first: '111', last: '111' }, recordId: target.event.id }),
    ]);
  });

  it('record_inserted and record_deleted: a forged record in the place of a sealed one', async () => {
    const { input } = await scene();
    const target = find(input.records, 102);
    const forged = withHash({ ...target, event: { ...target.event, id: sha256('forged').slice(0, 40) } });
    const problems = await verifyChain({ ...input, records: replace(input.records, target, [forged]) });
    expect(problems.slice(0, 2)).toEqual([
      expect.objectContaining({ kind: 'record_inserted', stream: proxy, sequence: 0, offsets: { first: '102', last: '102' }, recordId: forged.event.id }),
      expect.objectContaining({ kind: 'record_deleted', stream: proxy, sequence: 0, offsets: { first: '102', last: '102' }, recordId: target.event.id }),
    ]);
  });

  it('record_inserted: a forged record next to the sealed one, at a gap, at a dead letter', async () => {
    const { input } = await scene();
    const forge = (offset: number) => withHash({ ...record(proxy, offset), event: { ...record(proxy, offset).event, id: sha256(`forged ${offset}`).slice(0, 40) } });
    const problems = await verifyChain({ ...input, records: [...input.records, forge(103), forge(106), forge(105)] });
    expect(problems.filter((problem) => problem.kind === 'record_inserted').map((problem) => [problem.offsets?.first, problem.sequence])).toEqual([
      ['103', 0],
      ['105', 1],
      ['106', 1],
    ]);
    expect(problems.find((problem) => problem.offsets?.first === '106' && problem.kind === 'record_inserted')!.detail).toContain('which seal 1 has as a gap');
  });

  it('record_inserted: before the first seal of a stream, and without any origin', async () => {
    const { input } = await scene();
    const { modtrail: _origin, ...orphan } = record(proxy, 1);
    const problems = await verifyChain({ ...input, records: [...input.records, record(proxy, 42), orphan] });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'record_inserted', stream: null, recordId: orphan.event.id }),
        expect.objectContaining({ kind: 'record_inserted', stream: proxy, offsets: { first: '42', last: '42' } }),
      ]),
    );
  });

  it('dead letters: a missing one is deleted, a changed one is modified, without evidence they are taken on trust', async () => {
    const { input } = await scene();
    const at = { stream: proxy, sequence: 1, offsets: { first: '105', last: '105' } };
    expect(await verifyChain({ ...input, deadLetters: [] })).toContainEqual(expect.objectContaining({ kind: 'record_deleted', ...at }));
    const changed = input.deadLetters!.map((letter) => ({ ...letter, reason: 'nothing wrong here' }));
    expect(await verifyChain({ ...input, deadLetters: changed })).toContainEqual(expect.objectContaining({ kind: 'record_modified', ...at }));
    const { deadLetters: _none, ...withoutEvidence } = input;
    expect(kinds(await verifyChain(withoutEvidence))).toEqual(['offset_gap']);
  });
});

describe('verifyChain: tampered seals', () => {
  it('chain_broken: a seal deleted from the middle, without blaming its records one by one', async () => {
    const { main, input } = await scene();
    const problems = await verifyChain({ ...input, seals: input.seals.filter((jws) => jws !== main.jws[1]) });
    expect(problems).toEqual([expect.objectContaining({ kind: 'chain_broken', stream: proxy, sequence: 1, offsets: { first: '104', last: '108' } })]);
    expect(problems[0]!.detail).toBe('modtrail.proxy/0: seal 1 is missing between seals 0 and 2');
  });

  it('chain_broken: the last seals deleted, once records should have been sealed (truncation)', async () => {
    const { main, input } = await scene();
    const seals = input.seals.filter((jws) => jws !== main.jws[2]);
    expect(kinds(await verifyChain({ ...input, seals }))).toEqual(['offset_gap']);
    const problems = await verifyChain({ ...input, seals, sealedBefore: new Date('2026-03-01T12:00:00.000Z') });
    expect(problems).toContainEqual(expect.objectContaining({ kind: 'chain_broken', stream: proxy, sequence: 2, offsets: { first: '109', last: '112' } }));
    expect(problems.at(-1)!.detail).toContain('4 modtrail.proxy/0 records ingested before 2026-03-01T12:00:00.000Z are not sealed');
    // Every seal of a stream removed: still found.
    const none = await verifyChain({ ...input, seals: main.jws, sealedBefore: new Date('2026-03-01T12:00:00.000Z') });
    expect(none).toContainEqual(expect.objectContaining({ kind: 'chain_broken', stream: agent, offsets: { first: '0', last: '2' } }));
  });

  it('bad_signature: a forged seal signed with another key under the real kid, replacing the real one', async () => {
    const { main, input } = await scene();
    const forger = await parseSealKeys(JSON.stringify(await generateSealKeyJwk('2026-01')), { source: 'forger' });
    // The forger drops record 101 and re-seals the range as if it never existed.
    const items: SealItem[] = main.records.filter((stored) => ['100', '102', '103'].includes(stored.modtrail!.origin!.offset)).map((stored) => ({ kind: 'record', record: stored }));
    const forgedSeal = buildSeal({ stream: proxy, sequence: 0, previous: null, offsets: { first: '100', last: '103' }, items, sealedAt: new Date(Date.UTC(2026, 2, 1, 11, 0)), missingOffsetReason: 'compacted' });
    const forged = await signSeal(forgedSeal, forger.active);
    const problems = await verifyChain({ ...input, seals: [forged, ...input.seals.slice(1)], records: input.records.filter((stored) => stored !== find(input.records, 101)) });
    expect(problems[0]).toMatchObject({ kind: 'bad_signature', failure: 'bad_signature', kid: '2026-01', sealIndex: 0, stream: proxy, sequence: 0 });
    expect(problems[0]!.detail).toContain('claims modtrail.proxy/0 sequence 0');
  });

  it('bad_signature: a seal signed with a key the JWKS does not know', async () => {
    const { main, input } = await scene();
    const stranger = await parseSealKeys(JSON.stringify(await generateSealKeyJwk('stranger')), { source: 'stranger' });
    const resigned = await signSeal(main.seals[2]!, stranger.active);
    const problems = await verifyChain({ ...input, seals: [main.jws[0]!, main.jws[1]!, resigned] });
    expect(problems[0]).toMatchObject({ kind: 'bad_signature', failure: 'unknown_kid', kid: 'stranger', sequence: 2 });
  });

  it('bad_signature: garbage in the seals index', async () => {
    const { input } = await scene();
    const problems = await verifyChain({ ...input, seals: [...input.seals, 'not.a.seal'] });
    expect(problems[0]).toMatchObject({ kind: 'bad_signature', failure: 'malformed', stream: null, sealIndex: 4 });
  });

  it('chain_broken: seals reordered and re-signed by someone holding the key', async () => {
    const { main, input } = await scene();
    // Seal 2's range presented as sequence 1 and the other way round, previous hashes recomputed.
    const first = main.seals[0]!;
    const swappedOne = { ...main.seals[2]!, sequence: 1, previous: sealHash(first) };
    const swappedTwo = { ...main.seals[1]!, sequence: 2, previous: sealHash(swappedOne) };
    const seals = [main.jws[0]!, await signSeal(swappedOne, k1.active), await signSeal(swappedTwo, k1.active), ...input.seals.slice(3)];
    const problems = await verifyChain({ ...input, seals });
    expect(problems).toContainEqual(expect.objectContaining({ kind: 'offset_gap', stream: proxy, sequence: 1, offsets: { first: '104', last: '108' } }));
    expect(problems).toContainEqual(expect.objectContaining({ kind: 'chain_broken', stream: proxy, sequence: 2, offsets: { first: '104', last: '108' } }));
  });

  it('chain_broken: a seal rewritten with the key breaks the link from the next one', async () => {
    const { main, input } = await scene();
    const rewritten = { ...main.seals[0]!, sealed_at: '2026-03-01T10:59:00.000Z' };
    const problems = await verifyChain({ ...input, seals: [await signSeal(rewritten, k1.active), ...input.seals.slice(1)] });
    expect(problems[0]).toMatchObject({ kind: 'chain_broken', stream: proxy, sequence: 1 });
    expect(problems[0]!.detail).toContain(`but seal 0 hashes to ${sealHash(rewritten)}`);
  });

  it('chain_broken: two different valid seals for one sequence (a fork)', async () => {
    const { main, input } = await scene();
    const fork = { ...main.seals[2]!, sealed_at: '2026-03-01T11:30:00.000Z' };
    const problems = await verifyChain({ ...input, seals: [...input.seals, await signSeal(fork, k1.active)] });
    expect(problems).toContainEqual(expect.objectContaining({ kind: 'chain_broken', stream: proxy, sequence: 2 }));
    expect(problems.find((problem) => problem.kind === 'chain_broken')!.detail).toContain('2 different valid seals claim modtrail.proxy/0 sequence 2');
  });

  it('chain_broken: overlapping seals', async () => {
    const overlapping = await chain(proxy, [{ first: 0, last: 4 }, { first: 3, last: 6 }]);
    // The builder cannot make two records for one offset, so the fixture simply lists each record once.
    const records = overlapping.records.filter((stored, index, all) => all.findIndex((other) => other.event.id === stored.event.id) === index);
    const problems = await verifyChain({ seals: overlapping.jws, records, jwks });
    expect(problems).toEqual([expect.objectContaining({ kind: 'chain_broken', stream: proxy, sequence: 1, offsets: { first: '3', last: '4' } })]);
  });

  it('offset_gap: offsets between two linked seals that neither accounts for, and a record stored there', async () => {
    const gappy = await chain(proxy, [{ first: 0, last: 4 }, { first: 8, last: 9 }]);
    const problems = await verifyChain({ seals: gappy.jws, records: [...gappy.records, record(proxy, 6)], jwks });
    expect(problems).toEqual([
      expect.objectContaining({ kind: 'offset_gap', stream: proxy, sequence: 1, offsets: { first: '5', last: '7' } }),
      expect.objectContaining({ kind: 'record_inserted', stream: proxy, offsets: { first: '6', last: '6' } }),
    ]);
  });

  it('time_mismatch: a seal whose time range is not its records', async () => {
    const { main, input } = await scene();
    const widened = { ...main.seals[0]!, time: { from: '2026-03-01T09:00:00.000Z', to: main.seals[0]!.time!.to } };
    const problems = await verifyChain({ ...input, seals: [await signSeal(widened, k1.active)] });
    expect(problems).toContainEqual(expect.objectContaining({ kind: 'time_mismatch', stream: proxy, sequence: 0, offsets: { first: '100', last: '103' } }));
    const narrowed = { ...main.seals[0]!, time: { from: '2026-03-01T10:00:41.000Z', to: main.seals[0]!.time!.to } };
    const outside = await verifyChain({ ...input, seals: [await signSeal(narrowed, k1.active)] });
    expect(outside.filter((problem) => problem.kind === 'time_mismatch')).toHaveLength(2);
    expect(outside[0]).toMatchObject({ kind: 'time_mismatch', recordId: find(input.records, 100).event.id });
  });

  it('time_mismatch: a seal sealed before its predecessor', async () => {
    const { main, input } = await scene();
    const early = { ...main.seals[1]!, sealed_at: '2026-03-01T10:30:00.000Z' };
    const late = { ...main.seals[2]!, previous: sealHash(early) };
    const seals = [main.jws[0]!, await signSeal(early, k1.active), await signSeal(late, k1.active)];
    expect(kinds(await verifyChain({ ...input, seals, records: input.records.filter((stored) => stored.modtrail?.origin?.topic === proxy.topic) }))).toEqual([
      'time_mismatch',
      'offset_gap',
    ]);
  });
});

describe('verifyChain: key rotation', () => {
  it('old seals verify by their kid after the signing key changed', async () => {
    const rotated = await chain(proxy, [{ first: 0, last: 2 }, { first: 3, last: 5 }, { first: 6, last: 8 }], (sequence) => (sequence < 2 ? k1 : k2));
    expect(await verifyChain({ seals: rotated.jws, records: rotated.records, jwks })).toEqual([]);
  });

  it('dropping the old public key from the JWKS makes its seals unverifiable, by name', async () => {
    const rotated = await chain(proxy, [{ first: 0, last: 2 }, { first: 3, last: 5 }], (sequence) => (sequence < 1 ? k1 : k2));
    const problems = await verifyChain({ seals: rotated.jws, records: rotated.records, jwks: publicJwks(k2) });
    expect(problems[0]).toMatchObject({ kind: 'bad_signature', failure: 'unknown_kid', kid: '2026-01', sequence: 0 });
  });
});
