// The accumulation behind a chain of seals for one partition: what each consumed offset became, until a seal is cut.
import type { DeadLetterEvidence } from './entry-hash.js';
import type { SealStream, Seal } from './seal-format.js';
import { buildSeal, maxSealEntries, type SealItem } from './seal.js';

/** Where a chain stands: the next sequence to seal, the hash it must name, and the first offset not yet sealed. */
export interface ChainHead {
  sequence: number;
  previous: string | null;
  /** The offset after the last sealed one; undefined for a chain with no seal yet (it starts where consumption does). */
  nextOffset: bigint | undefined;
}

/** What one consumed offset became, as stored: a record (by its stored hash) or a dead letter (its stored evidence). */
export type SettledOffset =
  | { kind: 'record'; origin: { topic: string; partition: number; offset: string }; id: string; hash: string; timestamp: string }
  | { kind: 'dead_letter'; letter: DeadLetterEvidence };

/** Offsets one seal covers at most, so a long run of gaps (an offset reset) is sealed in parts of bounded size. */
export const maxOffsetsPerSeal = 100_000;

/** The reason an offset inside a sealed range holds nothing: Kafka delivered no message there. */
export const undeliveredOffsetReason =
  'Kafka delivered no message at this offset (a transaction marker, a message of an aborted transaction, or a message compacted or expired before it was consumed)';

const originOf = (item: SettledOffset) => (item.kind === 'record' ? item.origin : item.letter.origin);

/**
 * One partition's pending offsets and chain head. Offsets already sealed, or already pending (a replay after a
 * rebalance or a failed batch), are skipped: the first settlement of an offset is the one sealed. Pure: cutting
 * builds the seal, and the chain moves only when the caller says it was stored (`sealed`).
 */
export class PartitionSealer {
  private readonly pending = new Map<bigint, SettledOffset>();
  private lowest: bigint | undefined;
  private highest: bigint | undefined;
  /** The highest offset Kafka is known to have passed over with nothing to deliver (a fetch of only transaction markers). */
  private emptyThrough: bigint | undefined;
  /** When the oldest pending offset arrived (ms since the epoch); undefined when nothing is pending. */
  openedAt: number | undefined;

  constructor(
    readonly stream: SealStream,
    private head: ChainHead,
    private readonly offsetsPerSeal = maxOffsetsPerSeal,
  ) {}

  get chain(): Readonly<ChainHead> {
    return this.head;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Something waits to be sealed: a settled offset, or a run of offsets Kafka delivered nothing for. */
  get hasPending(): boolean {
    return this.highest !== undefined;
  }

  /** The offset to commit: everything before it is sealed. Undefined while nothing is. */
  get committable(): bigint | undefined {
    return this.head.nextOffset;
  }

  /** Adds one settled offset; false when it was skipped (already sealed or already pending). */
  add(item: SettledOffset, now: number): boolean {
    const origin = originOf(item);
    if (origin.topic !== this.stream.topic || origin.partition !== this.stream.partition) {
      throw new RangeError(`offset ${origin.offset} of ${origin.topic}/${origin.partition} given to the sealer of ${this.stream.topic}/${this.stream.partition}`);
    }
    const offset = BigInt(origin.offset);
    if (this.head.nextOffset !== undefined && offset < this.head.nextOffset) return false;
    if (this.pending.has(offset)) return false;
    this.pending.set(offset, item);
    if (this.lowest === undefined || offset < this.lowest) this.lowest = offset;
    if (this.highest === undefined || offset > this.highest) this.highest = offset;
    this.openedAt ??= now;
    return true;
  }

  /**
   * Kafka passed over `first`..`last` and delivered nothing there (a fetch that held only transaction markers or
   * aborted messages): the next seal reaches `last`, naming the offsets without a settled item as gaps. Without it a
   * trailing marker would never be sealed, so never committed. False when the range is already sealed.
   */
  passedOver(first: bigint, last: bigint, now: number): boolean {
    if (last < first) throw new RangeError(`empty range ${first}..${last} of ${this.stream.topic}/${this.stream.partition}`);
    if (this.head.nextOffset !== undefined && last < this.head.nextOffset) return false;
    if (this.emptyThrough === undefined || last > this.emptyThrough) this.emptyThrough = last;
    if (this.lowest === undefined || first < this.lowest) this.lowest = first;
    if (this.highest === undefined || last > this.highest) this.highest = last;
    this.openedAt ??= now;
    return true;
  }

  /**
   * The next seal over the pending offsets (at most maxSealEntries of them), from the chain's next offset to the
   * highest pending one; offsets in between with nothing settled are gaps. Undefined when nothing is pending.
   */
  cut(sealedAt: Date): Seal | undefined {
    if (this.highest === undefined || this.lowest === undefined) return undefined;
    const first = this.head.nextOffset ?? this.lowest;
    const limit = first + BigInt(Math.min(maxSealEntries, this.offsetsPerSeal)) - 1n;
    const last = this.highest < limit ? this.highest : limit;
    const items: SealItem[] = [];
    for (const [offset, item] of this.pending) {
      if (offset > last) continue;
      items.push(item.kind === 'record' ? { kind: 'stored_record', origin: item.origin, id: item.id, hash: item.hash, timestamp: item.timestamp } : { kind: 'dead_letter', letter: item.letter });
    }
    return buildSeal({
      stream: this.stream,
      sequence: this.head.sequence,
      previous: this.head.previous,
      offsets: { first: first.toString(), last: last.toString() },
      items,
      sealedAt,
      missingOffsetReason: undeliveredOffsetReason,
    });
  }

  /** The seal cut last was stored: the chain moves past it and its offsets leave the pending set. */
  sealed(seal: Seal, hash: string, now: number): void {
    if (seal.sequence !== this.head.sequence) throw new RangeError(`seal ${seal.sequence} is not the next of ${this.stream.topic}/${this.stream.partition} (${this.head.sequence})`);
    const last = BigInt(seal.offsets.last);
    this.head = { sequence: seal.sequence + 1, previous: hash, nextOffset: last + 1n };
    for (const offset of this.pending.keys()) if (offset <= last) this.pending.delete(offset);
    this.lowest = undefined;
    this.highest = undefined;
    for (const offset of this.pending.keys()) {
      if (this.lowest === undefined || offset < this.lowest) this.lowest = offset;
      if (this.highest === undefined || offset > this.highest) this.highest = offset;
    }
    if (this.emptyThrough !== undefined && this.emptyThrough > last) {
      this.lowest ??= last + 1n;
      if (this.highest === undefined || this.emptyThrough > this.highest) this.highest = this.emptyThrough;
    } else {
      this.emptyThrough = undefined;
    }
    this.openedAt = this.highest !== undefined ? now : undefined;
  }
}
