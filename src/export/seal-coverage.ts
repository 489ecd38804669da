// Which stream offsets the bundle's seals cover: a sorted list of ranges per stream, looked up by binary search.
import type { SealStream } from '../integrity/seal-format.js';

const streamKey = (stream: SealStream): string => `${stream.topic}\u0000${stream.partition}`;

export class SealCoverage {
  private readonly ranges = new Map<string, { first: bigint; last: bigint }[]>();

  constructor(seals: Iterable<{ stream: SealStream; offsets: { first: string; last: string } }>) {
    for (const seal of seals) {
      const list = this.ranges.get(streamKey(seal.stream)) ?? [];
      list.push({ first: BigInt(seal.offsets.first), last: BigInt(seal.offsets.last) });
      this.ranges.set(streamKey(seal.stream), list);
    }
    for (const list of this.ranges.values()) list.sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  }

  /** Whether a seal in the set covers this origin; false for a record without an origin or with a bad offset. */
  covers(origin: { topic: string; partition: number; offset: string } | undefined): boolean {
    if (origin === undefined || typeof origin.offset !== 'string' || !/^(?:0|[1-9][0-9]*)$/.test(origin.offset)) return false;
    const list = this.ranges.get(streamKey(origin));
    if (list === undefined) return false;
    const offset = BigInt(origin.offset);
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const range = list[middle]!;
      if (offset < range.first) high = middle - 1;
      else if (offset > range.last) low = middle + 1;
      else return true;
    }
    return false;
  }
}
