// `modtrail verify` over a time range of a store: per stream, windows of consecutive seals and what they cover,
// each checked by verifyChain, and the links between windows by checkLink, so memory is bounded by one window.
import type { JSONWebKeySet } from 'jose';
import type { AuditRecord } from '../core/record.js';
import type { DeadLetterEvidence } from './entry-hash.js';
import type { IntegrityProblem } from './problems.js';
import type { SealStream } from './seal-format.js';
import { verifySealJws } from './seal.js';
import { checkLink, verifyChain, type LinkedSeal } from './verify.js';

export interface OffsetBounds {
  first: bigint;
  last: bigint;
}

/** A seal as the store indexes it (searchable copies of its payload; the JWS itself is what is trusted). */
export interface SealSummary {
  sequence: number;
  first: bigint;
  last: bigint;
}

/** What verification reads from a store; the store decides how (see store/opensearch/integrity-reader.ts). */
export interface IntegritySource {
  /** Streams with records (by @timestamp) or seals (by their time range, or sealed_at when they hold no record) in the range. */
  streams(range: { from: Date; to: Date }): Promise<Map<string, { stream: SealStream; bounds: OffsetBounds }>>;
  /** A stream's seals whose offsets overlap the bounds, by sequence. */
  sealSummaries(stream: SealStream, bounds: OffsetBounds): Promise<SealSummary[]>;
  /** The JWS of a stream's seals with sequences in [from, to] that overlap the bounds. */
  sealJws(stream: SealStream, sequences: { from: number; to: number }, bounds: OffsetBounds): Promise<string[]>;
  records(stream: SealStream, bounds: OffsetBounds): AsyncIterable<AuditRecord[]>;
  deadLetters(stream: SealStream, bounds: OffsetBounds): Promise<DeadLetterEvidence[]>;
  /** Records in the time range without a complete origin: no seal can account for them. */
  unattributed(range: { from: Date; to: Date }): AsyncIterable<AuditRecord[]>;
}

export interface RangeVerification {
  problems: IntegrityProblem[];
  streams: number;
  seals: number;
  records: number;
  deadLetters: number;
}

/** Offsets (seal entries) one window holds at most, unless a single seal is larger. */
export const defaultWindowEntries = 200_000;

/**
 * Verifies every stream touched by the range: the seals overlapping it (whole, so every sealed offset is checked),
 * every record and dead letter at their offsets and around them, the chain links and signatures.
 */
export async function verifyRange(
  source: IntegritySource,
  range: { from: Date; to: Date },
  jwks: JSONWebKeySet,
  options: { sealedBefore?: Date; windowEntries?: number } = {},
): Promise<RangeVerification> {
  const result: RangeVerification = { problems: [], streams: 0, seals: 0, records: 0, deadLetters: 0 };
  const streams = [...(await source.streams(range)).values()].sort((a, b) => a.stream.topic.localeCompare(b.stream.topic) || a.stream.partition - b.stream.partition);
  for (const { stream, bounds } of streams) {
    const summaries = await source.sealSummaries(stream, bounds);
    const windows = windowsOf(summaries, options.windowEntries ?? defaultWindowEntries);
    let tail: LinkedSeal | undefined;
    for (const [index, window] of windows.entries()) {
      const jws = window === undefined ? [] : await source.sealJws(stream, window.sequences, bounds);
      // Records from wherever the range or the window's seals begin (first window) to wherever they end (last one).
      const claimed = jws.map(claimedOffsets).filter((o): o is OffsetBounds => o !== undefined);
      const sealed = [...claimed, ...(window ? [window.offsets] : [])];
      let first = sealed.length > 0 ? sealed.reduce((min, o) => (o.first < min ? o.first : min), sealed[0]!.first) : bounds.first;
      let last = sealed.length > 0 ? sealed.reduce((max, o) => (o.last > max ? o.last : max), sealed[0]!.last) : bounds.last;
      if (index === 0 && bounds.first < first) first = bounds.first;
      if (index === windows.length - 1 && bounds.last > last) last = bounds.last;

      const records: AuditRecord[] = [];
      for await (const page of source.records(stream, { first, last })) records.push(...page);
      const deadLetters = await source.deadLetters(stream, { first, last });
      const problems = await verifyChain({
        seals: jws,
        records,
        deadLetters,
        jwks,
        ...(options.sealedBefore === undefined || index < windows.length - 1 ? {} : { sealedBefore: options.sealedBefore }),
      });
      // The link between this window and the one before.
      const ends = await chainEnds(jws, jwks, tail);
      if (tail !== undefined && ends !== undefined) result.problems.push(...checkLink(stream, tail, ends.head).problems);
      result.problems.push(...problems);
      if (ends !== undefined) tail = ends.tail;
      result.seals += jws.length;
      result.records += records.length;
      result.deadLetters += deadLetters.length;
    }
    result.streams++;
  }
  // Every record modtrail writes came from a Kafka offset; one that names none was put there some other way.
  for await (const page of source.unattributed(range)) {
    for (const record of page) result.problems.push({ kind: 'record_inserted', stream: null, recordId: record.event.id, detail: 'record names no Kafka origin, so no seal accounts for it' });
    result.records += page.length;
  }
  return result;
}

interface Window {
  sequences: { from: number; to: number };
  offsets: OffsetBounds;
}

/** Consecutive seals, cut between sequences once a window holds enough entries; [undefined] when there is no seal. */
function windowsOf(summaries: readonly SealSummary[], maxEntries: number): (Window | undefined)[] {
  if (summaries.length === 0) return [undefined];
  const windows: Window[] = [];
  let current: Window | undefined;
  let entries = 0;
  for (const [i, summary] of summaries.entries()) {
    if (current === undefined) {
      current = { sequences: { from: summary.sequence, to: summary.sequence }, offsets: { first: summary.first, last: summary.last } };
      entries = 0;
    }
    current.sequences.to = summary.sequence;
    if (summary.first < current.offsets.first) current.offsets.first = summary.first;
    if (summary.last > current.offsets.last) current.offsets.last = summary.last;
    entries += Number(summary.last - summary.first + 1n);
    const next = summaries[i + 1];
    if (next === undefined || (entries >= maxEntries && next.sequence !== summary.sequence)) {
      windows.push(current);
      current = undefined;
    }
  }
  return windows;
}

/** The offsets a JWS claims (unverified: only to choose what to read). */
function claimedOffsets(jws: string): OffsetBounds | undefined {
  try {
    const { offsets } = JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as { offsets?: { first?: unknown; last?: unknown } };
    if (typeof offsets?.first !== 'string' || typeof offsets.last !== 'string') return undefined;
    return { first: BigInt(offsets.first), last: BigInt(offsets.last) };
  } catch {
    return undefined;
  }
}

/** The first valid seal of a window (linking to `previous` when sequences compete) and its last valid seal. */
async function chainEnds(jws: readonly string[], jwks: JSONWebKeySet, previous: LinkedSeal | undefined): Promise<{ head: LinkedSeal; tail: LinkedSeal } | undefined> {
  const valid: LinkedSeal[] = [];
  for (const text of jws) {
    const result = await verifySealJws(text, jwks);
    if (result.ok) valid.push({ seal: result.seal, hash: result.hash, first: BigInt(result.seal.offsets.first), last: BigInt(result.seal.offsets.last) });
  }
  if (valid.length === 0) return undefined;
  const lowest = Math.min(...valid.map((v) => v.seal.sequence));
  const highest = Math.max(...valid.map((v) => v.seal.sequence));
  const heads = valid.filter((v) => v.seal.sequence === lowest);
  const head = heads.find((v) => v.seal.previous === previous?.hash) ?? heads[0]!;
  const tail = valid.filter((v) => v.seal.sequence === highest)[0]!;
  return { head, tail };
}
