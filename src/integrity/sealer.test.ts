import { describe, expect, it } from 'vitest';
import { sha256Hex } from './digest.js';
import { deadLetterHash, gapHash } from './entry-hash.js';
import { PartitionSealer, undeliveredOffsetReason, type SettledOffset } from './sealer.js';
import { sealHash } from './seal.js';

const stream = { topic: 'modtrail.proxy', partition: 1 };
const at = new Date('2026-03-01T10:05:00.000Z');

const stored = (offset: number, second = offset % 60): SettledOffset => ({
  kind: 'record',
  origin: { ...stream, offset: String(offset) },
  id: `id-${offset}`,
  hash: sha256Hex(`record ${offset}`),
  timestamp: `2026-03-01T10:00:${String(second).padStart(2, '0')}.000Z`,
});
const letter = (offset: number): SettledOffset => ({
  kind: 'dead_letter',
  letter: { origin: { ...stream, offset: String(offset) }, original: Buffer.from(`bad ${offset}`), code: 'parse.malformed', reason: 'not a line' },
});

describe('PartitionSealer', () => {
  it('starts a new chain where consumption starts and accounts for every offset up to the highest', () => {
    const sealer = new PartitionSealer(stream, { sequence: 0, previous: null, nextOffset: undefined });
    expect(sealer.add(stored(12, 5), 1000)).toBe(true);
    expect(sealer.add(letter(13), 1000)).toBe(true);
    expect(sealer.add(stored(16, 3), 1000)).toBe(true);
    expect(sealer.committable).toBeUndefined();

    const seal = sealer.cut(at)!;
    expect(seal.sequence).toBe(0);
    expect(seal.previous).toBeNull();
    expect(seal.offsets).toEqual({ first: '12', last: '16' });
    expect(seal.records.map((entry) => entry.kind)).toEqual(['record', 'dead_letter', 'gap', 'gap', 'record']);
    expect(seal.records[1]!.hash).toBe(deadLetterHash((letter(13) as Extract<SettledOffset, { kind: 'dead_letter' }>).letter));
    expect(seal.records[2]).toMatchObject({ offset: '14', reason: undeliveredOffsetReason, hash: gapHash({ ...stream, offset: '14' }, undeliveredOffsetReason) });
    expect(seal.records[4]).toMatchObject({ offset: '16', id: 'id-16', hash: sha256Hex('record 16') });
    expect(seal.time).toEqual({ from: '2026-03-01T10:00:03.000Z', to: '2026-03-01T10:00:05.000Z' });
  });

  it('moves the chain only when told the seal was stored, and then skips what is sealed or already pending', () => {
    const sealer = new PartitionSealer(stream, { sequence: 4, previous: 'a'.repeat(64), nextOffset: 100n });
    sealer.add(stored(100), 1);
    sealer.add(stored(101), 1);
    const first = sealer.cut(at)!;
    expect(first).toMatchObject({ sequence: 4, previous: 'a'.repeat(64), offsets: { first: '100', last: '101' } });
    // Not stored yet: cutting again gives the same range, and nothing is committable beyond the old head.
    expect(sealer.cut(at)!.offsets).toEqual(first.offsets);
    expect(sealer.committable).toBe(100n);

    sealer.sealed(first, sealHash(first), 2);
    expect(sealer.committable).toBe(102n);
    expect(sealer.pendingCount).toBe(0);
    expect(sealer.openedAt).toBeUndefined();
    expect(sealer.cut(at)).toBeUndefined();

    // A replay of sealed offsets, and of an offset already pending, is skipped.
    expect(sealer.add(stored(101), 3)).toBe(false);
    expect(sealer.add(stored(103), 3)).toBe(true);
    expect(sealer.add(stored(103), 4)).toBe(false);
    const second = sealer.cut(at)!;
    expect(second).toMatchObject({ sequence: 5, previous: sealHash(first), offsets: { first: '102', last: '103' } });
    expect(second.records[0]).toMatchObject({ kind: 'gap', offset: '102' });
  });

  it('refuses an offset of another partition and a seal out of turn', () => {
    const sealer = new PartitionSealer(stream, { sequence: 0, previous: null, nextOffset: 0n });
    expect(() => sealer.add({ ...stored(1), origin: { ...stream, partition: 2, offset: '1' } } as SettledOffset, 0)).toThrow(RangeError);
    sealer.add(stored(0), 0);
    const seal = sealer.cut(at)!;
    expect(() => sealer.sealed({ ...seal, sequence: 3 }, sealHash(seal), 0)).toThrow(RangeError);
  });

  it('keeps offsets that arrive after a cut pending for the next seal', () => {
    const sealer = new PartitionSealer(stream, { sequence: 0, previous: null, nextOffset: 0n });
    sealer.add(stored(0), 10);
    const seal = sealer.cut(at)!;
    sealer.add(stored(1), 20);
    sealer.sealed(seal, sealHash(seal), 30);
    expect(sealer.pendingCount).toBe(1);
    expect(sealer.openedAt).toBe(30);
    expect(sealer.cut(at)!.offsets).toEqual({ first: '1', last: '1' });
  });
});

describe('PartitionSealer over a long run of gaps', () => {
  it('seals at most so many offsets at a time, the rest in the next seals', () => {
    const sealer = new PartitionSealer(stream, { sequence: 0, previous: null, nextOffset: 0n }, 10);
    sealer.add(stored(25), 0);
    const ranges: string[] = [];
    for (let seal = sealer.cut(at); seal !== undefined; seal = sealer.cut(at)) {
      ranges.push(`${seal.offsets.first}..${seal.offsets.last}`);
      sealer.sealed(seal, sealHash(seal), 0);
    }
    expect(ranges).toEqual(['0..9', '10..19', '20..25']);
    expect(sealer.committable).toBe(26n);
  });
});

describe('PartitionSealer over offsets Kafka passed over', () => {
  it('seals a trailing transaction marker as a gap, so the partition can be committed to its end', () => {
    const sealer = new PartitionSealer(stream, { sequence: 2, previous: 'b'.repeat(64), nextOffset: 11n });
    sealer.add(stored(11), 5);
    sealer.add(stored(12), 5);
    // The commit marker at 13 comes in a fetch of its own, with no message in it.
    expect(sealer.passedOver(13n, 13n, 6)).toBe(true);
    expect(sealer.hasPending).toBe(true);
    expect(sealer.pendingCount).toBe(2);
    const seal = sealer.cut(at)!;
    expect(seal.offsets).toEqual({ first: '11', last: '13' });
    expect(seal.records.map((entry) => entry.kind)).toEqual(['record', 'record', 'gap']);
    expect(seal.records[2]).toMatchObject({ offset: '13', reason: undeliveredOffsetReason });
    sealer.sealed(seal, sealHash(seal), 7);
    expect(sealer.committable).toBe(14n);
    expect(sealer.hasPending).toBe(false);
    expect(sealer.openedAt).toBeUndefined();
  });

  it('seals a run with nothing settled in it at all, and opens the cadence clock for it', () => {
    const sealer = new PartitionSealer(stream, { sequence: 0, previous: null, nextOffset: undefined });
    sealer.passedOver(40n, 41n, 9);
    expect(sealer.openedAt).toBe(9);
    const seal = sealer.cut(at)!;
    expect(seal.offsets).toEqual({ first: '40', last: '41' });
    expect(seal.records.map((entry) => entry.kind)).toEqual(['gap', 'gap']);
    expect(seal.time).toBeNull();
    sealer.sealed(seal, sealHash(seal), 10);
    expect(sealer.committable).toBe(42n);
  });

  it('ignores a range already sealed, and carries a long one over several seals', () => {
    const sealer = new PartitionSealer(stream, { sequence: 0, previous: null, nextOffset: 0n }, 10);
    sealer.add(stored(0), 0);
    expect(sealer.passedOver(1n, 24n, 0)).toBe(true);
    const ranges: string[] = [];
    for (let seal = sealer.cut(at); seal !== undefined; seal = sealer.cut(at)) {
      ranges.push(`${seal.offsets.first}..${seal.offsets.last}`);
      sealer.sealed(seal, sealHash(seal), 0);
    }
    expect(ranges).toEqual(['0..9', '10..19', '20..24']);
    expect(sealer.passedOver(3n, 24n, 1)).toBe(false);
    expect(sealer.hasPending).toBe(false);
    expect(() => sealer.passedOver(30n, 29n, 1)).toThrow(RangeError);
  });
});
