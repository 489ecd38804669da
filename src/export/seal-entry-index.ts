// The entries of a bundle's verified seals in compact form (kind byte, 32-byte hash, record id), found by stream and
// offset: what verify-export holds in memory instead of the seals themselves, about 100 bytes per sealed offset.
import type { Seal, SealStream } from '../integrity/seal-format.js';
import { StreamRanges } from './stream-ranges.js';

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

export class SealEntryIndex {
  private readonly seals = new StreamRanges<CompactSeal>();

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
    this.seals.add(seal.stream, compact);
  }

  /** The entry at an origin, if a seal in the index covers it. */
  find(origin: { topic: string; partition: number; offset: string } | undefined): EntryRef | undefined {
    const seal = this.seals.find(origin);
    return seal === undefined ? undefined : { seal, index: Number(BigInt(origin!.offset) - seal.first) };
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
    for (const seal of this.seals) {
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
