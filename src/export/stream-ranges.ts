// Offset ranges per Kafka stream (a partition of a topic), found by an origin: a sorted list per stream, binary search.
import type { SealStream } from '../integrity/seal-format.js';

const streamKey = (stream: SealStream): string => `${stream.topic}\u0000${stream.partition}`;

export class StreamRanges<T extends { first: bigint; last: bigint }> {
  private readonly streams = new Map<string, T[]>();
  private sorted = true;

  add(stream: SealStream, range: T): void {
    const list = this.streams.get(streamKey(stream)) ?? [];
    list.push(range);
    this.streams.set(streamKey(stream), list);
    this.sorted = false;
  }

  /** The range that holds this origin's offset; undefined for none, for no origin, or for an offset that is not a number. */
  find(origin: { topic: string; partition: number; offset: string } | undefined): T | undefined {
    if (origin === undefined || typeof origin.offset !== 'string' || !/^(?:0|[1-9][0-9]*)$/.test(origin.offset)) return undefined;
    const list = this.sortedLists().get(streamKey(origin));
    if (list === undefined) return undefined;
    const offset = BigInt(origin.offset);
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const range = list[middle]!;
      if (offset < range.first) high = middle - 1;
      else if (offset > range.last) low = middle + 1;
      else return range;
    }
    return undefined;
  }

  /** Every range, stream by stream, in offset order within each. */
  *[Symbol.iterator](): Iterator<T> {
    for (const list of this.sortedLists().values()) yield* list;
  }

  private sortedLists(): Map<string, T[]> {
    if (!this.sorted) {
      for (const list of this.streams.values()) list.sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
      this.sorted = true;
    }
    return this.streams;
  }
}
