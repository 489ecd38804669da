// The seal as data: its type, the schema a signed payload must match, and the checks a seal can do on itself.
import { z } from 'zod';
import { isSha256Hex } from './digest.js';
import { gapHash } from './entry-hash.js';
import { merkleRoot } from './merkle.js';

/** One Kafka partition: the unit a chain of seals covers. */
export interface SealStream {
  topic: string;
  partition: number;
}

/** What happened at one offset: a stored record, a dead letter, or nothing (a gap, with the reason). */
export type SealEntry =
  | { kind: 'record'; offset: string; id: string; hash: string }
  | { kind: 'dead_letter'; offset: string; hash: string; code: string; reason: string }
  | { kind: 'gap'; offset: string; hash: string; reason: string };

/** A signed statement about one contiguous, inclusive offset range of one partition. */
export interface Seal {
  version: 1;
  stream: SealStream;
  /** The n-th seal of this stream, from 0. */
  sequence: number;
  /** Inclusive Kafka offsets, as decimal strings (offsets are 64-bit). */
  offsets: { first: string; last: string };
  /** The earliest and latest @timestamp of the sealed records; null when the range holds no record. */
  time: { from: string; to: string } | null;
  sealed_at: string;
  /** One entry per offset, in offset order, first to last. */
  records: SealEntry[];
  /** RFC 9162 Merkle tree hash over the entries' hashes, in order. */
  merkle_root: string;
  /** sealHash of the previous seal of this stream; null for sequence 0. */
  previous: string | null;
}

/** The largest Kafka offset (a signed 64-bit integer). */
const maxOffset = 2n ** 63n - 1n;

const decimalOffset = z.string().regex(/^(?:0|[1-9][0-9]{0,18})$/, { error: 'must be a decimal offset' });
const sha256Hex = z.string().refine(isSha256Hex, { error: 'must be 64 lower-case hex digits' });
const nonEmpty = z.string().min(1, { error: 'must not be empty' });
const timestamp = z.iso.datetime({ error: 'must be an ISO-8601 UTC timestamp' });

const entrySchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('record'), offset: decimalOffset, id: nonEmpty, hash: sha256Hex }),
  z.strictObject({ kind: z.literal('dead_letter'), offset: decimalOffset, hash: sha256Hex, code: nonEmpty, reason: z.string() }),
  z.strictObject({ kind: z.literal('gap'), offset: decimalOffset, hash: sha256Hex, reason: nonEmpty }),
]);

export const sealSchema: z.ZodType<Seal> = z.strictObject({
  version: z.literal(1),
  stream: z.strictObject({ topic: nonEmpty, partition: z.int().nonnegative() }),
  sequence: z.int().nonnegative(),
  offsets: z.strictObject({ first: decimalOffset, last: decimalOffset }),
  time: z.strictObject({ from: timestamp, to: timestamp }).nullable(),
  sealed_at: timestamp,
  records: z.array(entrySchema).min(1, { error: 'must cover at least one offset' }),
  merkle_root: sha256Hex,
  previous: sha256Hex.nullable(),
});

/** Parses an unknown value as a seal: the seal, or the first schema problem with its path. */
export function parseSeal(value: unknown): { ok: true; seal: Seal } | { ok: false; reason: string } {
  const result = sealSchema.safeParse(value);
  if (result.success) return { ok: true, seal: result.data };
  const issue = result.error.issues[0];
  const path = issue?.path.length ? issue.path.join('.') : 'seal';
  return { ok: false, reason: `${path} ${issue?.message ?? 'is invalid'}` };
}

/**
 * What is wrong with a seal judged on its own (no records, no neighbours): offsets that are not one entry per
 * offset in order, a Merkle root that does not match the entries, a previous hash at the wrong sequence, a time
 * range that cannot be, duplicate record ids, gap hashes that are not the gap's. Empty when it is sound.
 * `merkleRootKnown`: the caller has just computed merkle_root from these very entries (the costliest check).
 */
export function sealInconsistencies(seal: Seal, options: { merkleRootKnown?: boolean } = {}): string[] {
  const problems: string[] = [];
  const first = BigInt(seal.offsets.first);
  const last = BigInt(seal.offsets.last);
  if (last > maxOffset) problems.push(`offsets.last ${seal.offsets.last} is beyond the largest Kafka offset`);
  if (first > last) problems.push(`offsets.first ${seal.offsets.first} is after offsets.last ${seal.offsets.last}`);
  else if (BigInt(seal.records.length) !== last - first + 1n) {
    problems.push(`${seal.records.length} entries for ${last - first + 1n} offsets ${seal.offsets.first}..${seal.offsets.last}`);
  }
  const ids = new Set<string>();
  // Offsets as numbers where every one in the range is exact (nearly always): no BigInt per entry.
  const exact = Number.isSafeInteger(Number(first) + seal.records.length);
  const firstNumber = Number(first);
  seal.records.forEach((entry, index) => {
    const expected = exact ? String(firstNumber + index) : (first + BigInt(index)).toString();
    if (entry.offset !== expected) problems.push(`entry ${index} is for offset ${entry.offset}, expected ${expected}`);
    if (entry.kind === 'record') {
      if (ids.has(entry.id)) problems.push(`record id ${entry.id} appears twice`);
      ids.add(entry.id);
    }
    if (entry.kind === 'gap' && entry.hash !== gapHash({ ...seal.stream, offset: entry.offset }, entry.reason)) {
      problems.push(`gap entry at offset ${entry.offset} has a hash that is not the gap's`);
    }
  });
  if (!options.merkleRootKnown && seal.merkle_root !== merkleRoot(seal.records.map((entry) => entry.hash))) problems.push('merkle_root does not match the entries');
  if (seal.sequence === 0 && seal.previous !== null) problems.push('sequence 0 names a previous seal');
  if (seal.sequence > 0 && seal.previous === null) problems.push(`sequence ${seal.sequence} names no previous seal`);
  const hasRecords = seal.records.some((entry) => entry.kind === 'record');
  if (hasRecords && seal.time === null) problems.push('time is null although records are sealed');
  if (!hasRecords && seal.time !== null) problems.push('time is set although no record is sealed');
  if (seal.time !== null && Date.parse(seal.time.from) > Date.parse(seal.time.to)) problems.push('time.from is after time.to');
  return problems;
}
