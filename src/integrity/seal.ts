// Seals: building one over a partition's offset range, its hash (the chain link), and its compact JWS.
import * as nodeCrypto from 'node:crypto';
import { compactVerify, decodeProtectedHeader, errors, importJWK, type CryptoKey, type JSONWebKeySet, type JWK, type KeyObject } from 'jose';
import type { AuditRecord } from '../core/record.js';
import { canonicalBytes, canonicalize } from './canonical-json.js';
import { isSha256Hex, sha256Hex } from './digest.js';
import { deadLetterHash, gapHash, type DeadLetterEvidence } from './entry-hash.js';
import type { SealAlgorithm } from './keys.js';
import { merkleRoot } from './merkle.js';
import { recordHash } from './record-hash.js';
import { parseSeal, sealInconsistencies, type Seal, type SealEntry, type SealStream } from './seal-format.js';

/** The JWS `typ` of a seal, so that nothing else signed with the same key can pass for one. */
export const sealJwsType = 'modtrail-seal+jws';

/** Algorithms a seal may be signed with: Ed25519 (EdDSA, or its fully-specified name Ed25519) and ES256. */
const acceptedAlgorithms = ['EdDSA', 'Ed25519', 'ES256'] as const;

/** A seal covers at most this many offsets, so a wrong range cannot make a sealer build a giant seal. */
export const maxSealEntries = 1_000_000;

/** What happened at one offset, as the sealer knows it. */
export type SealItem =
  | { kind: 'record'; record: AuditRecord }
  /** A stored record known only by its stored hash (what a sealer keeps, rather than the whole record). */
  | { kind: 'stored_record'; origin: { topic: string; partition: number; offset: string }; id: string; hash: string; timestamp: string }
  | { kind: 'dead_letter'; letter: DeadLetterEvidence }
  | { kind: 'gap'; offset: string; reason: string };

export interface SealInput {
  stream: SealStream;
  sequence: number;
  /** sealHash of this stream's previous seal; null for sequence 0. */
  previous: string | null;
  /** The inclusive offset range to seal. */
  offsets: { first: string; last: string };
  /** One item per offset in the range, in any order. */
  items: readonly SealItem[];
  sealedAt: Date;
  /** When set, an offset without an item becomes a gap with this reason; otherwise it is an error. */
  missingOffsetReason?: string;
}

const decimal = /^(?:0|[1-9][0-9]*)$/;

/** Builds the seal for one offset range: entries in offset order, Merkle root, time range. Throws on bad input. */
export function buildSeal(input: SealInput): Seal {
  const { stream, sequence, previous, offsets } = input;
  if (!decimal.test(offsets.first) || !decimal.test(offsets.last)) throw new RangeError('seal offsets must be decimal strings');
  const first = BigInt(offsets.first);
  const count = BigInt(offsets.last) - first + 1n;
  if (count < 1n) throw new RangeError(`seal range ${offsets.first}..${offsets.last} is empty`);
  if (count > BigInt(maxSealEntries)) throw new RangeError(`seal range ${offsets.first}..${offsets.last} exceeds ${maxSealEntries} offsets`);

  const slots: (SealEntry | undefined)[] = new Array<SealEntry | undefined>(Number(count)).fill(undefined);
  const timestamps: string[] = [];
  // Offsets as numbers where they are exact (nearly always), so placing 10,000 entries makes no BigInts.
  const firstNumber = Number(first);
  const exact = Number.isSafeInteger(firstNumber + Number(count));
  const place = (offset: string, entry: SealEntry) => {
    if (!decimal.test(offset)) throw new RangeError(`offset ${offset} is outside the seal range ${offsets.first}..${offsets.last}`);
    const index = exact ? Number(offset) - firstNumber : Number(BigInt(offset) - first);
    if (!(index >= 0 && index < slots.length)) throw new RangeError(`offset ${offset} is outside the seal range ${offsets.first}..${offsets.last}`);
    if (slots[index] !== undefined) throw new RangeError(`offset ${offset} has more than one item`);
    if (entry.kind === 'record' && (typeof entry.id !== 'string' || entry.id === '')) throw new RangeError(`the record at offset ${offset} has no id`);
    if (entry.kind === 'dead_letter' && (typeof entry.code !== 'string' || entry.code === '' || typeof entry.reason !== 'string')) throw new RangeError(`the dead letter at offset ${offset} has no code or reason`);
    slots[index] = entry;
  };
  const sameStream = (origin: { topic: string; partition: number } | undefined, what: string) => {
    if (origin?.topic !== stream.topic || origin.partition !== stream.partition) {
      throw new RangeError(`${what} is not from ${stream.topic}/${stream.partition}`);
    }
  };

  for (const item of input.items) {
    if (item.kind === 'record') {
      const { record } = item;
      const origin = record.modtrail?.origin;
      sameStream(origin, `record ${record.event.id}`);
      const hash = recordHash(record);
      if (record.event.hash !== undefined && record.event.hash !== hash) {
        throw new Error(`record ${record.event.id} changed after it was hashed: its event.hash is not its record hash`);
      }
      place(origin!.offset, { hash, id: record.event.id, kind: 'record', offset: origin!.offset });
      timestamps.push(record['@timestamp']);
    } else if (item.kind === 'stored_record') {
      sameStream(item.origin, `record ${item.id}`);
      if (!isSha256Hex(item.hash)) throw new RangeError(`record ${item.id} has a hash that is not 64 lower-case hex digits`);
      place(item.origin.offset, { hash: item.hash, id: item.id, kind: 'record', offset: item.origin.offset });
      timestamps.push(item.timestamp);
    } else if (item.kind === 'dead_letter') {
      const { letter } = item;
      sameStream(letter.origin, `dead letter at offset ${letter.origin.offset}`);
      const { offset } = letter.origin;
      place(offset, { code: letter.code, hash: deadLetterHash(letter), kind: 'dead_letter', offset, reason: letter.reason });
    } else {
      if (item.reason === '') throw new RangeError(`gap at offset ${item.offset} needs a reason`);
      place(item.offset, { hash: gapHash({ ...stream, offset: item.offset }, item.reason), kind: 'gap', offset: item.offset, reason: item.reason });
    }
  }

  const records = slots.map((entry, index) => {
    if (entry !== undefined) return entry;
    const offset = (first + BigInt(index)).toString();
    if (input.missingOffsetReason === undefined) throw new RangeError(`offset ${offset} has no item`);
    return { hash: gapHash({ ...stream, offset }, input.missingOffsetReason), kind: 'gap', offset, reason: input.missingOffsetReason } as const;
  });

  const seal: Seal = {
    version: 1,
    stream: { topic: stream.topic, partition: stream.partition },
    sequence,
    offsets: { first: offsets.first, last: offsets.last },
    time: timeRange(timestamps),
    sealed_at: input.sealedAt.toISOString(),
    records,
    merkle_root: merkleRoot(records.map((entry) => entry.hash)),
    previous,
  };
  assertSound(seal, { merkleRootKnown: true, entriesChecked: true });
  // Frozen and remembered: signing it needs no second check, since it cannot have changed.
  for (const entry of seal.records) Object.freeze(entry);
  Object.freeze(seal.records);
  Object.freeze(seal.stream);
  Object.freeze(seal.offsets);
  if (seal.time !== null) Object.freeze(seal.time);
  built.add(Object.freeze(seal));
  return seal;
}

/** Seals buildSeal made (frozen, checked when built). */
const built = new WeakSet<Seal>();

/** The earliest and latest of the records' @timestamps (compared as instants), or null when there are none. */
function timeRange(timestamps: readonly string[]): Seal['time'] {
  if (timestamps.length === 0) return null;
  let from = timestamps[0]!;
  let to = from;
  // Each time parsed once: a seal has up to 10,000 of them.
  let earliest = Number.POSITIVE_INFINITY;
  let latest = Number.NEGATIVE_INFINITY;
  for (const timestamp of timestamps) {
    const instant = Date.parse(timestamp);
    if (Number.isNaN(instant)) throw new RangeError(`@timestamp ${timestamp} is not a time`);
    if (instant < earliest) {
      earliest = instant;
      from = timestamp;
    }
    if (instant > latest) {
      latest = instant;
      to = timestamp;
    }
  }
  return { from, to };
}

/** `entriesChecked`: buildSeal placed each entry from checked parts, so the schema need only see the rest (and one entry). */
function assertSound(seal: Seal, options: { merkleRootKnown?: boolean; entriesChecked?: boolean } = {}): void {
  const parsed = parseSeal(options.entriesChecked === true ? { ...seal, records: seal.records.slice(0, 1) } : seal);
  if (!parsed.ok) throw new RangeError(`not a valid seal: ${parsed.reason}`);
  const problems = sealInconsistencies(seal, options);
  if (problems.length > 0) throw new RangeError(`not a sound seal: ${problems.join('; ')}`);
}

/** Lower-case hex SHA-256 of the seal's canonical JSON, which is also its JWS payload: the next seal's `previous`. */
export const sealHash = (seal: Seal): string => sha256Hex(canonicalize(seal));

export interface SealSigner {
  kid: string;
  privateKey: CryptoKey | KeyObject;
  /** EdDSA (Ed25519) unless said otherwise. */
  alg?: SealAlgorithm;
}

/** A compact JWS whose payload is the seal's canonical JSON; header {alg, kid, typ}. Refuses an unsound seal. */
export async function signSeal(seal: Seal, key: SealSigner): Promise<string> {
  return (await signSealHashed(seal, key)).jws;
}

/** signSeal, and the seal's hash (sealHash) from the same canonical bytes, so a large seal is serialized once. */
export async function signSealHashed(seal: Seal, key: SealSigner): Promise<{ jws: string; hash: string }> {
  if (!built.has(seal)) assertSound(seal);
  const payload = canonicalBytes(seal);
  const alg = key.alg ?? 'EdDSA';
  // The compact JWS of RFC 7515 written here, as jose's CompactSign writes it, with Node's base64url: jose encodes in
  // JavaScript on Node 20, which for a seal of 10,000 entries (1.2 MB) cost more than building the seal.
  const signingInput = `${Buffer.from(JSON.stringify({ alg, kid: key.kid, typ: sealJwsType })).toString('base64url')}.${payload.toString('base64url')}`;
  const signature = await signBytes(alg, key.privateKey, Buffer.from(signingInput, 'ascii'));
  return { jws: `${signingInput}.${signature.toString('base64url')}`, hash: sha256Hex(payload) };
}

/** The JWS signature over `data`: Ed25519, or ES256 as r||s (IEEE P1363, which JWS asks for and Web Crypto returns). */
async function signBytes(alg: SealAlgorithm, privateKey: CryptoKey | KeyObject, data: Buffer): Promise<Buffer> {
  if (privateKey instanceof nodeCrypto.KeyObject) {
    return nodeCrypto.sign(alg === 'ES256' ? 'sha256' : null, data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  }
  const algorithm = alg === 'ES256' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'Ed25519' };
  return Buffer.from(await nodeCrypto.webcrypto.subtle.sign(algorithm, privateKey as nodeCrypto.webcrypto.CryptoKey, data));
}

export type SealFailure = 'bad_signature' | 'unknown_kid' | 'malformed';

export type SealVerification =
  | { ok: true; seal: Seal; hash: string; kid: string }
  | { ok: false; failure: SealFailure; reason: string; kid?: string };

/**
 * Checks a seal's JWS against a JWKS (public keys, chosen by kid) and returns the seal, or why not:
 * `unknown_kid` (no key with the JWS's kid), `bad_signature` (the signature does not verify with that key), or
 * `malformed` (not a compact JWS, a header other than {alg, kid, typ}, a payload that is not a canonical, sound seal).
 */
export async function verifySealJws(jws: string, jwks: JSONWebKeySet): Promise<SealVerification> {
  const malformed = (reason: string, kid?: string): SealVerification => ({ ok: false, failure: 'malformed', reason, ...(kid === undefined ? {} : { kid }) });
  if (typeof jws !== 'string' || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(jws)) return malformed('not a compact JWS');
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jws);
  } catch {
    return malformed('the protected header cannot be decoded');
  }
  const { alg, kid, typ } = header;
  const extra = Object.keys(header).filter((name) => !['alg', 'kid', 'typ'].includes(name));
  if (extra.length > 0) return malformed(`the header has members a seal does not use: ${extra.join(', ')}`);
  if (typeof kid !== 'string' || kid === '') return malformed('the header names no kid');
  if (typ !== sealJwsType) return malformed(`the header typ is not ${sealJwsType}`, kid);
  if (!acceptedAlgorithms.includes(alg as (typeof acceptedAlgorithms)[number])) return malformed(`alg ${String(alg)} is not accepted for seals`, kid);

  const candidates = (Array.isArray(jwks?.keys) ? jwks.keys : []).filter((jwk) => jwk.kid === kid);
  if (candidates.length === 0) return { ok: false, failure: 'unknown_kid', reason: `no key with kid "${kid}" in the JWKS`, kid };
  const jwk = candidates.find((candidate) => fitsAlgorithm(candidate, alg!));
  if (jwk === undefined || candidates.length > 1) {
    return { ok: false, failure: 'bad_signature', reason: `the key with kid "${kid}" does not sign with ${alg}`, kid };
  }

  let payload: Uint8Array;
  try {
    const key = await importJWK(publicPart(jwk), alg);
    ({ payload } = await compactVerify(jws, key, { algorithms: [alg!] }));
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      return { ok: false, failure: 'bad_signature', reason: `the signature does not verify with key "${kid}"`, kid };
    }
    return malformed(`the JWS cannot be checked: ${error instanceof Error ? error.message : String(error)}`, kid);
  }

  let text: string;
  let value: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(payload);
    value = JSON.parse(text);
  } catch {
    return malformed('the payload is not UTF-8 JSON', kid);
  }
  const parsed = parseSeal(value);
  if (!parsed.ok) return malformed(`the payload is not a seal: ${parsed.reason}`, kid);
  if (canonicalize(parsed.seal) !== text) return malformed('the payload is not in canonical form', kid);
  const problems = sealInconsistencies(parsed.seal);
  if (problems.length > 0) return malformed(`the seal contradicts itself: ${problems.join('; ')}`, kid);
  return { ok: true, seal: parsed.seal, hash: sha256Hex(text), kid };
}

function fitsAlgorithm(jwk: JWK, alg: string): boolean {
  const ed25519 = jwk.kty === 'OKP' && jwk.crv === 'Ed25519';
  const p256 = jwk.kty === 'EC' && jwk.crv === 'P-256';
  if (alg === 'ES256') return p256 && (jwk.alg === undefined || jwk.alg === 'ES256');
  return ed25519 && (jwk.alg === undefined || jwk.alg === 'EdDSA' || jwk.alg === 'Ed25519');
}

/** Only the public members of a JWK, so a JWKS that carries private parts by mistake still verifies. */
function publicPart(jwk: JWK): JWK {
  const { kty, crv, x, y } = jwk;
  return { kty, crv, x, ...(y === undefined ? {} : { y }) };
}
