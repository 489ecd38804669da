// The entries of a bundle's verified seals in compact form (kind byte, 32-byte hash, record id), found by stream and
// offset: what verify-export holds in memory instead of the seals themselves, about 100 bytes per sealed offset.
import type { Seal, SealStream } from '../integrity/seal-format.js';

const kinds = ['record', 'dead_letter', 'gap'] as const;
type Kind = (typeof kinds)[number];

interface CompactSeal {
  stream: SealStream;
  sequence: number;
  first: bigint;
  last: bigint;
  kinds: Uint8Array;
  hashes: Buffer;
  /** Record ids by entry index (undefined for dead letters and gaps). */
  ids: (string | undefined)[];
  /** Dead-letter codes by entry index, for messages. */
  codes: Map<number, string>;
  seen: Uint8Array;
}

export interface EntryRef {
  seal: CompactSeal;
  index: number;
}

export interface UnseenEntry {
  stream: SealStream;
  sequence: number;
  offset: string;
  kind: Kind;
  id?: string;
  code?: string;
}

const streamKey = (stream: SealStream) => `${stream.topic}\u0000${stream.partition}`;

export class SealEntryIndex {
  private readonly streams = new Map<string, CompactSeal[]>();
  private sorted = true;

  add(seal: Seal): void {
    const n = seal.records.length;
    const compact: CompactSeal = {
      stream: { ...seal.stream },
      sequence: seal.sequence,
      first: BigInt(seal.offsets.first),
      last: BigInt(seal.offsets.last),
      kinds: new Uint8Array(n),
      hashes: Buffer.alloc(32 * n),
      ids: new Array<string | undefined>(n),
      codes: new Map(),
      seen: new Uint8Array(n),
    };
    seal.records.forEach((entry, i) => {
      compact.kinds[i] = kinds.indexOf(entry.kind);
      compact.hashes.write(entry.hash, i * 32, 'hex');
      if (entry.kind === 'record') compact.ids[i] = entry.id;
      if (entry.kind === 'dead_letter') compact.codes.set(i, entry.code);
    });
    const list = this.streams.get(streamKey(seal.stream)) ?? [];
    list.push(compact);
    this.streams.set(streamKey(seal.stream), list);
    this.sorted = false;
  }

  /** The entry at an origin, if a seal in the index covers it. */
  find(origin: { topic: string; partition: number; offset: string } | undefined): EntryRef | undefined {
    if (origin === undefined || typeof origin.offset !== 'string' || !/^(?:0|[1-9][0-9]*)$/.test(origin.offset)) return undefined;
    this.sort();
    const list = this.streams.get(streamKey(origin));
    if (list === undefined) return undefined;
    const offset = BigInt(origin.offset);
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const seal = list[middle]!;
      if (offset < seal.first) high = middle - 1;
      else if (offset > seal.last) low = middle + 1;
      else return { seal, index: Number(offset - seal.first) };
    }
    return undefined;
  }

  kind(ref: EntryRef): Kind {
    return kinds[ref.seal.kinds[ref.index]!]!;
  }

  id(ref: EntryRef): string | undefined {
    return ref.seal.ids[ref.index];
  }

  hash(ref: EntryRef): string {
    return ref.seal.hashes.toString('hex', ref.index * 32, ref.index * 32 + 32);
  }

  /** Marks the entry as matched; true when it already was (a second copy). */
  markSeen(ref: EntryRef): boolean {
    const before = ref.seal.seen[ref.index] === 1;
    ref.seal.seen[ref.index] = 1;
    return before;
  }

  /** Entries nothing in the bundle matched, gaps included. */
  *unseen(): Iterable<UnseenEntry> {
    this.sort();
    for (const list of this.streams.values()) {
      for (const seal of list) {
        for (let i = 0; i < seal.seen.length; i++) {
          if (seal.seen[i] === 1) continue;
          const kind = kinds[seal.kinds[i]!]!;
          const id = seal.ids[i];
          const code = seal.codes.get(i);
          yield { stream: seal.stream, sequence: seal.sequence, offset: (seal.first + BigInt(i)).toString(), kind, ...(id === undefined ? {} : { id }), ...(code === undefined ? {} : { code }) };
        }
      }
    }
  }

  private sort(): void {
    if (this.sorted) return;
    for (const list of this.streams.values()) list.sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    this.sorted = true;
  }
}
