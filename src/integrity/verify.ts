// Verification over in-memory data, shared by `modtrail verify` (reading the store) and `verify-export` (reading a
// bundle with public keys only): seals, their chains per partition, and every sealed offset against what is stored.
import type { JSONWebKeySet } from 'jose';
import type { AuditRecord } from '../core/record.js';
import { deadLetterHash, type DeadLetterEvidence } from './entry-hash.js';
import { offsetRange, streamName, type IntegrityProblem } from './problems.js';
import { recordHash } from './record-hash.js';
import type { Seal, SealEntry, SealStream } from './seal-format.js';
import { verifySealJws, type SealVerification } from './seal.js';

export interface VerifyInput {
  /** Seals as compact JWS, any streams, any order. */
  seals: readonly string[];
  /** The stored records to check (for the ranges the seals cover, and any around them). */
  records: readonly AuditRecord[];
  /** Dead letters as evidence; when absent, dead-letter entries are taken on the seal's word. */
  deadLetters?: readonly DeadLetterEvidence[];
  /** Public keys; old keys stay here after a rotation, so old seals verify by kid. */
  jwks: JSONWebKeySet;
  /**
   * Records ingested before this instant should be sealed by now (the sealer's cadence plus slack). Set, it turns
   * unsealed old records after the last seal (or in a stream without seals) into chain_broken: truncated chains.
   */
  sealedBefore?: Date;
}

interface VerifiedSeal {
  seal: Seal;
  hash: string;
  index: number;
  first: bigint;
  last: bigint;
}

interface StreamData {
  stream: SealStream;
  seals: VerifiedSeal[];
  /** Stored records by canonical decimal offset. */
  records: Map<string, AuditRecord[]>;
}

/** Every problem found; an untouched input gives an empty list. Never throws on bad data, only reports it. */
export async function verifyChain(input: VerifyInput): Promise<IntegrityProblem[]> {
  const problems: IntegrityProblem[] = [];
  const streams = new Map<string, StreamData>();
  const streamOf = (stream: SealStream): StreamData => {
    const key = `${stream.topic}\u0000${stream.partition}`;
    let data = streams.get(key);
    if (data === undefined) {
      data = { stream: { topic: stream.topic, partition: stream.partition }, seals: [], records: new Map() };
      streams.set(key, data);
    }
    return data;
  };

  for (const [index, jws] of input.seals.entries()) {
    const result = await verifySealJws(jws, input.jwks);
    if (!result.ok) {
      problems.push(badSeal(index, jws, result));
      continue;
    }
    const { seal, hash } = result;
    streamOf(seal.stream).seals.push({ seal, hash, index, first: BigInt(seal.offsets.first), last: BigInt(seal.offsets.last) });
  }

  for (const record of input.records) {
    const origin = record.modtrail?.origin;
    if (origin === undefined) {
      problems.push({ kind: 'record_inserted', stream: null, recordId: record.event?.id, detail: `record ${record.event?.id} has no modtrail.origin, so no seal can cover it` });
      continue;
    }
    const stream = { topic: origin.topic, partition: origin.partition };
    if (typeof origin.offset !== 'string' || !/^(?:0|[1-9][0-9]*)$/.test(origin.offset)) {
      problems.push({ kind: 'record_inserted', stream, recordId: record.event.id, detail: `record ${record.event.id} has an origin offset that is not a decimal offset` });
      continue;
    }
    const { records } = streamOf(stream);
    const list = records.get(origin.offset) ?? [];
    list.push(record);
    records.set(origin.offset, list);
  }

  const deadLetters = input.deadLetters === undefined ? undefined : indexDeadLetters(input.deadLetters);
  const ordered = [...streams.values()].sort((a, b) => a.stream.topic.localeCompare(b.stream.topic) || a.stream.partition - b.stream.partition);
  for (const data of ordered) {
    const chain = checkChain(data, problems);
    for (const sealed of chain.seals) checkEntries(sealed, data, deadLetters, problems);
    checkUncovered(data, chain, input.sealedBefore, problems);
  }
  return problems;
}

function indexDeadLetters(letters: readonly DeadLetterEvidence[]): Map<string, DeadLetterEvidence[]> {
  const index = new Map<string, DeadLetterEvidence[]>();
  for (const letter of letters) {
    const key = `${letter.origin.topic}\u0000${letter.origin.partition}\u0000${letter.origin.offset}`;
    index.set(key, [...(index.get(key) ?? []), letter]);
  }
  return index;
}

/** A seal that did not verify, named by what it claims to be (unverified, so said as a claim). */
function badSeal(index: number, jws: string, result: Extract<SealVerification, { ok: false }>): IntegrityProblem {
  const claim = claimedSeal(jws);
  const claimed = claim.stream === null ? '' : ` (claims ${streamName(claim.stream)} sequence ${claim.sequence ?? '?'})`;
  return {
    kind: 'bad_signature',
    stream: claim.stream,
    ...(claim.sequence === undefined ? {} : { sequence: claim.sequence }),
    ...(claim.offsets === undefined ? {} : { offsets: claim.offsets }),
    failure: result.failure,
    ...(result.kid === undefined ? {} : { kid: result.kid }),
    sealIndex: index,
    detail: `seal ${index}${claimed}: ${result.failure}: ${result.reason}`,
  };
}

function claimedSeal(jws: string): { stream: SealStream | null; sequence?: number; offsets?: { first: string; last: string } } {
  try {
    const value = JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as Partial<Seal>;
    const stream = value.stream;
    if (typeof stream?.topic !== 'string' || !Number.isInteger(stream.partition)) return { stream: null };
    const offsets = value.offsets;
    return {
      stream: { topic: stream.topic, partition: stream.partition },
      ...(Number.isInteger(value.sequence) ? { sequence: value.sequence } : {}),
      ...(typeof offsets?.first === 'string' && typeof offsets.last === 'string' ? { offsets: offsetRange(offsets.first, offsets.last) } : {}),
    };
  } catch {
    return { stream: null };
  }
}

interface Chain {
  /** The seals kept, by sequence. */
  seals: VerifiedSeal[];
  /** Offset ranges where seals are missing: what is stored there cannot be judged record by record. */
  missing: { first: bigint; last: bigint }[];
}

/** The chain of one stream: sequence order, previous links, no gaps or overlaps between seals, sealed_at order. */
function checkChain(data: StreamData, problems: IntegrityProblem[]): Chain {
  const { stream } = data;
  const name = streamName(stream);
  const bySequence = new Map<number, VerifiedSeal[]>();
  for (const sealed of data.seals) {
    const same = bySequence.get(sealed.seal.sequence) ?? [];
    // The same seal listed twice (two copies of one JWS, or re-signed identically) is one seal.
    if (!same.some((other) => other.hash === sealed.hash)) same.push(sealed);
    bySequence.set(sealed.seal.sequence, same);
  }

  const seals: VerifiedSeal[] = [];
  const missing: Chain['missing'] = [];
  for (const sequence of [...bySequence.keys()].sort((a, b) => a - b)) {
    const candidates = bySequence.get(sequence)!;
    const previous = seals.at(-1);
    // Of competing seals for one sequence, follow the one that links to the chain so far.
    const kept = candidates.find((candidate) => candidate.seal.previous === previous?.hash) ?? candidates[0]!;
    if (candidates.length > 1) {
      problems.push({
        kind: 'chain_broken',
        stream,
        sequence,
        offsets: offsetRange(kept.seal.offsets.first, kept.seal.offsets.last),
        detail: `${candidates.length} different valid seals claim ${name} sequence ${sequence}: the chain forks`,
      });
    }
    seals.push(kept);
    if (previous === undefined) continue;

    const link = checkLink(stream, previous, kept);
    problems.push(...link.problems);
    if (link.missing !== undefined) missing.push(link.missing);
  }
  return { seals, missing };
}

/** A seal that verified, with its hash and its offsets as numbers: what the chain checks work on. */
export interface LinkedSeal {
  seal: Seal;
  hash: string;
  first: bigint;
  last: bigint;
}

/**
 * The link from one kept seal of a stream to the next: consecutive sequences, `previous` naming the hash before,
 * offsets that continue without overlap or gap, sealed_at in order. `missing` is the offset range of absent seals.
 */
export function checkLink(stream: SealStream, previous: LinkedSeal, kept: LinkedSeal): { problems: IntegrityProblem[]; missing?: { first: bigint; last: bigint } } {
  const problems: IntegrityProblem[] = [];
  const name = streamName(stream);
  const { seal } = kept;
  const sequence = seal.sequence;
  let missing: { first: bigint; last: bigint } | undefined;
  if (sequence !== previous.seal.sequence + 1) {
    const gap = kept.first > previous.last + 1n ? { offsets: offsetRange(previous.last + 1n, kept.first - 1n) } : {};
    if ('offsets' in gap) missing = { first: previous.last + 1n, last: kept.first - 1n };
    const absent = sequence === previous.seal.sequence + 2 ? `seal ${previous.seal.sequence + 1} is` : `seals ${previous.seal.sequence + 1}..${sequence - 1} are`;
    problems.push({ kind: 'chain_broken', stream, sequence: previous.seal.sequence + 1, ...gap, detail: `${name}: ${absent} missing between seals ${previous.seal.sequence} and ${sequence}` });
  } else if (seal.previous !== previous.hash) {
    problems.push({
      kind: 'chain_broken',
      stream,
      sequence,
      offsets: offsetRange(seal.offsets.first, seal.offsets.last),
      detail: `${name} seal ${sequence} names previous ${seal.previous}, but seal ${previous.seal.sequence} hashes to ${previous.hash}`,
    });
  }
  if (kept.first <= previous.last) {
    problems.push({
      kind: 'chain_broken',
      stream,
      sequence,
      offsets: offsetRange(kept.first, previous.last < kept.last ? previous.last : kept.last),
      detail: `${name} seal ${sequence} covers offsets seal ${previous.seal.sequence} already covers`,
    });
  } else if (sequence === previous.seal.sequence + 1 && kept.first > previous.last + 1n) {
    problems.push({
      kind: 'offset_gap',
      stream,
      sequence,
      offsets: offsetRange(previous.last + 1n, kept.first - 1n),
      detail: `${name}: no seal accounts for offsets ${previous.last + 1n}..${kept.first - 1n} between seals ${previous.seal.sequence} and ${sequence}`,
    });
  }
  if (Date.parse(seal.sealed_at) < Date.parse(previous.seal.sealed_at)) {
    problems.push({
      kind: 'time_mismatch',
      stream,
      sequence,
      detail: `${name} seal ${sequence} was sealed at ${seal.sealed_at}, before seal ${previous.seal.sequence} (${previous.seal.sealed_at})`,
    });
  }
  return missing === undefined ? { problems } : { problems, missing };
}

/** Every entry of one seal against what is stored at its offset. */
function checkEntries(sealed: VerifiedSeal, data: StreamData, deadLetters: Map<string, DeadLetterEvidence[]> | undefined, problems: IntegrityProblem[]): void {
  const { seal } = sealed;
  const { stream } = data;
  const name = streamName(stream);
  const at = (entry: SealEntry) => ({ stream, sequence: seal.sequence, offsets: offsetRange(entry.offset) });
  const intactTimes: number[] = [];
  let recordEntries = 0;
  let openGap: { first: string; last: string; reason: string } | undefined;
  const closeGap = () => {
    if (openGap === undefined) return;
    const { first, last, reason } = openGap;
    problems.push({ kind: 'offset_gap', explicitGap: true, stream, sequence: seal.sequence, offsets: offsetRange(first, last), detail: `${name} offsets ${first}..${last} hold nothing, sealed as a gap in seal ${seal.sequence}: ${reason}` });
    openGap = undefined;
  };

  for (const entry of seal.records) {
    if (entry.kind === 'gap' && openGap?.reason === entry.reason && BigInt(openGap.last) + 1n === BigInt(entry.offset)) openGap.last = entry.offset;
    else {
      closeGap();
      if (entry.kind === 'gap') openGap = { first: entry.offset, last: entry.offset, reason: entry.reason };
    }

    const stored = data.records.get(entry.offset) ?? [];
    const expectedId = entry.kind === 'record' ? entry.id : undefined;
    for (const record of stored) {
      if (record.event.id === expectedId) continue;
      const sealedAs = entry.kind === 'record' ? `record ${entry.id}` : entry.kind === 'gap' ? 'a gap' : 'a dead letter';
      problems.push({ ...at(entry), kind: 'record_inserted', recordId: record.event.id, detail: `record ${record.event.id} is stored for ${name} offset ${entry.offset}, which seal ${seal.sequence} has as ${sealedAs}` });
    }

    if (entry.kind === 'record') {
      recordEntries++;
      const matching = stored.filter((record) => record.event.id === entry.id);
      if (matching.length === 0) {
        problems.push({ ...at(entry), kind: 'record_deleted', recordId: entry.id, detail: `record ${entry.id} at ${name} offset ${entry.offset}, sealed in seal ${seal.sequence}, is not stored` });
      }
      let intact: AuditRecord | undefined;
      for (const record of matching) {
        const trouble = recordTrouble(record, entry.hash);
        if (trouble === undefined) {
          intact = record;
          continue;
        }
        problems.push({ ...at(entry), kind: 'record_modified', recordId: entry.id, detail: `record ${entry.id} at ${name} offset ${entry.offset} ${trouble} (seal ${seal.sequence})` });
      }
      if (intact !== undefined && seal.time !== null) {
        const time = Date.parse(intact['@timestamp']);
        if (!(time >= Date.parse(seal.time.from) && time <= Date.parse(seal.time.to))) {
          problems.push({ ...at(entry), kind: 'time_mismatch', recordId: entry.id, detail: `record ${entry.id} has @timestamp ${intact['@timestamp']}, outside seal ${seal.sequence}'s time range ${seal.time.from}..${seal.time.to}` });
        }
        intactTimes.push(time);
      }
    } else if (entry.kind === 'dead_letter' && deadLetters !== undefined) {
      const letters = deadLetters.get(`${stream.topic}\u0000${stream.partition}\u0000${entry.offset}`) ?? [];
      if (letters.length === 0) {
        problems.push({ ...at(entry), kind: 'record_deleted', detail: `the dead letter for ${name} offset ${entry.offset} (${entry.code}), sealed in seal ${seal.sequence}, is not among the dead letters` });
      } else if (!letters.some((letter) => deadLetterHash(letter) === entry.hash)) {
        problems.push({ ...at(entry), kind: 'record_modified', detail: `the dead letter for ${name} offset ${entry.offset} does not match its seal entry (bytes, code or reason changed; seal ${seal.sequence})` });
      }
    }
  }
  closeGap();

  // With every sealed record intact, the seal's time range must be exactly theirs.
  if (seal.time !== null && recordEntries > 0 && intactTimes.length === recordEntries) {
    const from = Math.min(...intactTimes);
    const to = Math.max(...intactTimes);
    if (from !== Date.parse(seal.time.from) || to !== Date.parse(seal.time.to)) {
      problems.push({
        kind: 'time_mismatch',
        stream,
        sequence: seal.sequence,
        offsets: offsetRange(seal.offsets.first, seal.offsets.last),
        detail: `${name} seal ${seal.sequence} claims records from ${seal.time.from} to ${seal.time.to}, but they run from ${new Date(from).toISOString()} to ${new Date(to).toISOString()}`,
      });
    }
  }
}

/** Why a stored record does not match its seal entry, or undefined when it does. */
function recordTrouble(record: AuditRecord, sealed: string): string | undefined {
  let actual: string;
  try {
    actual = recordHash(record);
  } catch (error) {
    return `cannot be hashed (${error instanceof Error ? error.message : String(error)})`;
  }
  if (actual !== sealed) return `hashes to ${actual}, but its seal entry says ${sealed}`;
  if (record.event.hash === undefined) return 'matches its seal entry but has lost its event.hash';
  if (record.event.hash !== actual) return `matches its seal entry but its event.hash says ${record.event.hash}`;
  return undefined;
}

/** Stored records outside every seal: inserted (inside the chain's span), out of scope, or unsealed too long. */
function checkUncovered(data: StreamData, chain: Chain, sealedBefore: Date | undefined, problems: IntegrityProblem[]): void {
  const { stream } = data;
  const name = streamName(stream);
  const first = chain.seals[0];
  const last = chain.seals.at(-1);
  const overdue: { offset: bigint; record: AuditRecord }[] = [];

  const sealed = coverage(chain.seals);
  const unjudged = coverage(chain.missing);
  for (const [key, records] of data.records) {
    const offset = BigInt(key);
    if (sealed(offset) || unjudged(offset)) continue;
    if (first !== undefined && last !== undefined && offset > first.last && offset < last.first) {
      for (const record of records) {
        problems.push({ kind: 'record_inserted', stream, offsets: offsetRange(offset), recordId: record.event.id, detail: `record ${record.event.id} is stored for ${name} offset ${offset}, between seals that account for no such offset` });
      }
    } else if (first !== undefined && offset < first.first) {
      if (first.seal.sequence !== 0) continue; // Earlier seals were not given: out of scope.
      for (const record of records) {
        problems.push({ kind: 'record_inserted', stream, offsets: offsetRange(offset), recordId: record.event.id, detail: `record ${record.event.id} is stored for ${name} offset ${offset}, before the first seal of the stream begins (${first.seal.offsets.first})` });
      }
    } else if (sealedBefore !== undefined) {
      for (const record of records) if (Date.parse(record.event.ingested) < sealedBefore.getTime()) overdue.push({ offset, record });
    }
  }

  if (overdue.length > 0) {
    overdue.sort((a, b) => (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0));
    const after = last === undefined ? 'no seal exists for the stream' : `the last seal is ${last.seal.sequence}, ending at offset ${last.seal.offsets.last}`;
    problems.push({
      kind: 'chain_broken',
      stream,
      offsets: offsetRange(overdue[0]!.offset, overdue.at(-1)!.offset),
      ...(last === undefined ? {} : { sequence: last.seal.sequence + 1 }),
      detail: `${overdue.length} ${name} records ingested before ${sealedBefore!.toISOString()} are not sealed; ${after}: seals were removed or the sealer is behind`,
    });
  }
}

/** Whether an offset lies in any of the ranges: a binary search over the ranges by start, with a running maximum end. */
function coverage(ranges: readonly { first: bigint; last: bigint }[]): (offset: bigint) => boolean {
  const sorted = [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const reach: bigint[] = [];
  for (const range of sorted) reach.push(reach.length === 0 || range.last > reach.at(-1)! ? range.last : reach.at(-1)!);
  return (offset) => {
    let low = 0;
    let high = sorted.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (sorted[middle]!.first <= offset) {
        found = middle;
        low = middle + 1;
      } else high = middle - 1;
    }
    return found >= 0 && reach[found]! >= offset;
  };
}
