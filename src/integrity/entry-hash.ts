// Hashes for the seal entries that are not stored records: a dead letter, and an offset with nothing at it.
import { canonicalize } from './canonical-json.js';
import { sha256Hex } from './digest.js';

/** Where a Kafka message sat: the same shape as a record's modtrail.origin. */
export interface OffsetOrigin {
  topic: string;
  partition: number;
  offset: string;
}

/** What a dead letter must show to be checked against its seal entry: where it came from, its bytes, and why. */
export interface DeadLetterEvidence {
  origin: OffsetOrigin;
  /** The original message bytes, unchanged. */
  original: Uint8Array;
  /** The error catalogue code, e.g. parse.malformed. */
  code: string;
  reason: string;
}

/**
 * SHA-256 over the canonical JSON of the dead letter's origin, code, reason and the SHA-256 of its original bytes,
 * so the hash binds the bytes, the verdict and the position, and needs no agreement on a text encoding of bytes.
 */
export function deadLetterHash(letter: DeadLetterEvidence): string {
  const { topic, partition, offset } = letter.origin;
  return sha256Hex(
    canonicalize({
      kind: 'dead_letter',
      origin: { topic, partition, offset },
      original_sha256: sha256Hex(letter.original),
      code: letter.code,
      reason: letter.reason,
    }),
  );
}

/** SHA-256 over the canonical JSON of an explicit gap: the offset and the reason nothing is stored for it. */
export function gapHash(origin: OffsetOrigin, reason: string): string {
  const { topic, partition, offset } = origin;
  return sha256Hex(canonicalize({ kind: 'gap', origin: { topic, partition, offset }, reason }));
}
