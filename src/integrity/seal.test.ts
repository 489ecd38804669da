import { createHash, generateKeyPairSync } from 'node:crypto';
import { CompactSign, decodeProtectedHeader, generateKeyPair, type CryptoKey, type JSONWebKeySet } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ecsVersion, type AuditRecord } from '../core/record.js';
import { canonicalize } from './canonical-json.js';
import { deadLetterHash, gapHash, type DeadLetterEvidence } from './entry-hash.js';
import { generateSealKeyJwk, parseSealKeys, publicJwks, type SealKeyring } from './keys.js';
import { inclusionProof, merkleLeafHash, merkleRoot, verifyInclusion } from './merkle.js';
import { recordHash, withHash } from './record-hash.js';
import type { Seal } from './seal-format.js';
import { buildSeal, sealHash, sealJwsType, signSeal, verifySealJws } from './seal.js';

const stream = { topic: 'modtrail.proxy', partition: 2 };
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function record(offset: number, second: number, partition = stream.partition): AuditRecord {
  const id = sha256(`${partition}/${offset}`).slice(0, 40);
  return withHash({
    '@timestamp': `2026-03-01T10:00:${String(second).padStart(2, '0')}.000Z`,
    ecs: { version: ecsVersion },
    event: { id, kind: 'event', category: ['package'], type: ['access'], action: 'module.zip', outcome: 'success', dataset: 'athens.access', ingested: '2026-03-01T10:01:00.000Z', original: `line ${offset}`, severity: 1 },
    observer: { product: 'athens', type: 'proxy' },
    modtrail: { origin: { topic: stream.topic, partition, offset: String(offset) } },
  });
}

const letter = (offset: number): DeadLetterEvidence => ({
  origin: { ...stream, offset: String(offset) },
  original: Buffer.from(`not a log line ${offset}`),
  code: 'parse.malformed',
  reason: 'no timestamp',
});

const sealedAt = new Date('2026-03-01T10:05:00.000Z');
let keyring: SealKeyring;
let jwks: JSONWebKeySet;

beforeAll(async () => {
  keyring = await parseSealKeys(JSON.stringify(await generateSealKeyJwk('k1')), { source: 'test' });
  jwks = publicJwks(keyring);
});

const sample = (): Seal =>
  buildSeal({
    stream,
    sequence: 0,
    previous: null,
    offsets: { first: '10', last: '14' },
    // Any order in, offset order out.
    items: [{ kind: 'record', record: record(13, 7) }, { kind: 'dead_letter', letter: letter(11) }, { kind: 'record', record: record(10, 9) }, { kind: 'record', record: record(14, 3) }],
    sealedAt,
    missingOffsetReason: 'no message at this offset (transaction marker or compaction)',
  });

describe('buildSeal', () => {
  it('lists every offset once, in order, with its kind, and computes the root and the time range', () => {
    const seal = sample();
    expect(seal.records.map((entry) => [entry.offset, entry.kind])).toEqual([
      ['10', 'record'],
      ['11', 'dead_letter'],
      ['12', 'gap'],
      ['13', 'record'],
      ['14', 'record'],
    ]);
    expect(seal.records[0]).toEqual({ kind: 'record', offset: '10', id: record(10, 9).event.id, hash: recordHash(record(10, 9)) });
    expect(seal.records[1]).toEqual({ kind: 'dead_letter', offset: '11', hash: deadLetterHash(letter(11)), code: 'parse.malformed', reason: 'no timestamp' });
    expect(seal.records[2]).toMatchObject({ kind: 'gap', hash: gapHash({ ...stream, offset: '12' }, 'no message at this offset (transaction marker or compaction)') });
    expect(seal.merkle_root).toBe(merkleRoot(seal.records.map((entry) => entry.hash)));
    expect(seal.time).toEqual({ from: '2026-03-01T10:00:03.000Z', to: '2026-03-01T10:00:09.000Z' });
    expect(seal).toMatchObject({ version: 1, stream, sequence: 0, offsets: { first: '10', last: '14' }, sealed_at: '2026-03-01T10:05:00.000Z', previous: null });
  });

  it('has no time range when it seals no record', () => {
    const seal = buildSeal({ stream, sequence: 0, previous: null, offsets: { first: '0', last: '0' }, items: [{ kind: 'dead_letter', letter: letter(0) }], sealedAt });
    expect(seal.time).toBeNull();
  });

  it('handles offsets beyond 2^53 exactly', () => {
    const big = (offset: bigint): AuditRecord => withHash({ ...record(0, 1), modtrail: { origin: { ...stream, offset: offset.toString() } } });
    const first = 2n ** 60n + 1n;
    const seal = buildSeal({ stream, sequence: 0, previous: null, offsets: { first: first.toString(), last: (first + 1n).toString() }, items: [{ kind: 'record', record: big(first + 1n) }], sealedAt, missingOffsetReason: 'compacted' });
    expect(seal.records.map((entry) => entry.offset)).toEqual(['1152921504606846977', '1152921504606846978']);
  });

  const base = { stream, sequence: 0, previous: null, sealedAt };
  it.each<[string, () => Parameters<typeof buildSeal>[0], RegExp]>([
    ['a missing offset without a gap reason', () => ({ ...base, offsets: { first: '10', last: '11' }, items: [{ kind: 'record', record: record(10, 1) }] }), /offset 11 has no item/],
    ['two items for one offset', () => ({ ...base, offsets: { first: '10', last: '10' }, items: [{ kind: 'record', record: record(10, 1) }, { kind: 'dead_letter', letter: letter(10) }] }), /offset 10 has more than one item/],
    ['an item outside the range', () => ({ ...base, offsets: { first: '10', last: '10' }, items: [{ kind: 'record', record: record(11, 1) }] }), /offset 11 is outside the seal range 10..10/],
    ['a record of another partition', () => ({ ...base, offsets: { first: '10', last: '10' }, items: [{ kind: 'record', record: record(10, 1, 3) }] }), /is not from modtrail.proxy\/2/],
    ['a record changed after hashing', () => ({ ...base, offsets: { first: '10', last: '10' }, items: [{ kind: 'record', record: { ...record(10, 1), message: 'late edit' } }] }), /changed after it was hashed/],
    ['an empty range', () => ({ ...base, offsets: { first: '10', last: '9' }, items: [] }), /is empty/],
    ['a huge range', () => ({ ...base, offsets: { first: '0', last: '5000000' }, items: [], missingOffsetReason: 'x' }), /exceeds 1000000 offsets/],
    ['a previous hash at sequence 0', () => ({ ...base, previous: sha256('x'), offsets: { first: '10', last: '10' }, items: [{ kind: 'record', record: record(10, 1) }] }), /sequence 0 names a previous seal/],
    ['no previous hash after sequence 0', () => ({ ...base, sequence: 3, offsets: { first: '10', last: '10' }, items: [{ kind: 'record', record: record(10, 1) }] }), /sequence 3 names no previous seal/],
    ['a stored record without an id', () => ({ ...base, offsets: { first: '10', last: '10' }, items: [{ kind: 'stored_record', origin: { ...stream, offset: '10' }, id: '', hash: sha256('r'), timestamp: '2026-03-01T10:00:01.000Z' }] }), /the record at offset 10 has no id/],
    ['a dead letter without a code', () => ({ ...base, offsets: { first: '10', last: '10' }, items: [{ kind: 'dead_letter', letter: { ...letter(10), code: '' } }] }), /the dead letter at offset 10 has no code/],
    ['a record time that is not an ISO-8601 UTC timestamp', () => ({ ...base, offsets: { first: '10', last: '10' }, items: [{ kind: 'stored_record', origin: { ...stream, offset: '10' }, id: 'r10', hash: sha256('r'), timestamp: '2026-03-01 10:00:01' }] }), /time\.from must be an ISO-8601 UTC timestamp/],
  ])('refuses %s', (_name, input, message) => {
    expect(() => buildSeal(input())).toThrow(message);
  });
});

describe('sealHash', () => {
  it('is SHA-256 of the canonical JSON', () => {
    const seal = sample();
    expect(sealHash(seal)).toBe(sha256(canonicalize(seal)));
    expect(sealHash({ ...seal, sequence: 1, previous: sha256('p') })).not.toBe(sealHash(seal));
  });
});

describe('signSeal and verifySealJws', () => {
  it('round-trips: the payload is the canonical seal, the header names alg, kid and typ', async () => {
    const seal = sample();
    const jws = await signSeal(seal, keyring.active);
    expect(decodeProtectedHeader(jws)).toEqual({ alg: 'EdDSA', kid: 'k1', typ: sealJwsType });
    expect(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')).toBe(canonicalize(seal));
    expect(await verifySealJws(jws, jwks)).toEqual({ ok: true, seal, hash: sealHash(seal), kid: 'k1' });
  });

  it("is, byte for byte, the compact JWS jose's CompactSign makes (Ed25519 signatures are deterministic)", async () => {
    const seal = sample();
    const byJose = await new CompactSign(new TextEncoder().encode(canonicalize(seal))).setProtectedHeader({ alg: 'EdDSA', kid: 'k1', typ: sealJwsType }).sign(keyring.active.privateKey);
    expect(await signSeal(seal, keyring.active)).toBe(byJose);
  });

  it('signs with a Node KeyObject as well as a CryptoKey, for both algorithms', async () => {
    for (const alg of ['EdDSA', 'ES256'] as const) {
      const { privateKey, publicKey } = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
      const jws = await signSeal(sample(), { kid: 'node', privateKey, alg });
      const { exportJWK } = await import('jose');
      expect(await verifySealJws(jws, { keys: [{ ...(await exportJWK(publicKey)), kid: 'node' }] })).toMatchObject({ ok: true, kid: 'node' });
    }
  });

  it('signs and verifies with ES256 too', async () => {
    const es = await parseSealKeys(JSON.stringify(await generateSealKeyJwk('es', 'ES256')), { source: 'test' });
    const jws = await signSeal(sample(), es.active);
    expect(decodeProtectedHeader(jws).alg).toBe('ES256');
    expect(await verifySealJws(jws, publicJwks(es))).toMatchObject({ ok: true, kid: 'es' });
  });

  it('refuses to sign an unsound seal', async () => {
    await expect(signSeal({ ...sample(), merkle_root: sha256('x') }, keyring.active)).rejects.toThrow(/merkle_root does not match the entries/);
  });

  it('unknown_kid: a key the JWKS does not have', async () => {
    const other = await parseSealKeys(JSON.stringify(await generateSealKeyJwk('intruder')), { source: 'test' });
    expect(await verifySealJws(await signSeal(sample(), other.active), jwks)).toMatchObject({ ok: false, failure: 'unknown_kid', kid: 'intruder' });
  });

  it('bad_signature: another key under a known kid', async () => {
    const forger = await parseSealKeys(JSON.stringify(await generateSealKeyJwk('k1')), { source: 'test' });
    expect(await verifySealJws(await signSeal(sample(), forger.active), jwks)).toMatchObject({ ok: false, failure: 'bad_signature', kid: 'k1' });
  });

  it('bad_signature: a payload changed after signing', async () => {
    const [header, , signature] = (await signSeal(sample(), keyring.active)).split('.');
    const forged = Buffer.from(canonicalize({ ...sample(), sealed_at: '2026-03-02T00:00:00.000Z' })).toString('base64url');
    expect(await verifySealJws(`${header}.${forged}.${signature}`, jwks)).toMatchObject({ ok: false, failure: 'bad_signature' });
  });

  it('bad_signature: a JWKS key of another type under the kid', async () => {
    const es = await parseSealKeys(JSON.stringify(await generateSealKeyJwk('k1', 'ES256')), { source: 'test' });
    expect(await verifySealJws(await signSeal(sample(), keyring.active), publicJwks(es))).toMatchObject({ ok: false, failure: 'bad_signature' });
  });

  it('verifies with a JWKS that carries private parts by mistake, using only the public ones', async () => {
    const jwk = await generateSealKeyJwk('k2');
    const keys = await parseSealKeys(JSON.stringify(jwk), { source: 'test' });
    expect(await verifySealJws(await signSeal(sample(), keys.active), { keys: [jwk] })).toMatchObject({ ok: true });
  });

  /** Signs arbitrary payload bytes and header with the trusted key, as a buggy or hostile signer could. */
  const signRaw = (payload: string, header: Record<string, unknown> = { alg: 'EdDSA', kid: 'k1', typ: sealJwsType }) =>
    new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader(header as { alg: string }).sign(keyring.active.privateKey);

  it.each<[string, () => Promise<string> | string, RegExp]>([
    ['not a JWS at all', () => 'hello', /not a compact JWS/],
    ['an undecodable header', () => 'e30x.e30.e30', /protected header cannot be decoded/],
    ['a JWT signed with the same key', () => signRaw('{"sub":"x"}', { alg: 'EdDSA', kid: 'k1', typ: 'JWT' }), /typ is not modtrail-seal\+jws/],
    ['a header without kid', () => signRaw(canonicalize(sample()), { alg: 'EdDSA', typ: sealJwsType }), /names no kid/],
    ['an extra header member', () => signRaw(canonicalize(sample()), { alg: 'EdDSA', kid: 'k1', typ: sealJwsType, b64: true, crit: ['b64'] }), /members a seal does not use: b64, crit/],
    ['an HMAC alg', () => `${Buffer.from(JSON.stringify({ alg: 'HS256', kid: 'k1', typ: sealJwsType })).toString('base64url')}.e30.c2ln`, /alg HS256 is not accepted/],
    ['a payload that is not JSON', () => signRaw('not json'), /not UTF-8 JSON/],
    ['a payload that is not a seal', () => signRaw('{"version":1}'), /the payload is not a seal: stream/],
    ['a seal with a stray field', () => signRaw(canonicalize({ ...sample(), note: 'x' })), /the payload is not a seal/],
    ['a seal that is not in canonical form', () => signRaw(JSON.stringify(sample(), null, 2)), /not in canonical form/],
    ['a seal whose root does not match', () => signRaw(canonicalize({ ...sample(), merkle_root: sha256('x') })), /contradicts itself: merkle_root/],
    ['a seal whose entries skip an offset', () => signRaw(canonicalize({ ...sample(), offsets: { first: '10', last: '15' } })), /5 entries for 6 offsets/],
  ])('malformed: %s', async (_name, jws, reason) => {
    const result = await verifySealJws(await jws(), jwks);
    expect(result).toMatchObject({ ok: false, failure: 'malformed' });
    expect(result.ok ? '' : result.reason).toMatch(reason);
  });
});

describe('proving one record with the seal alone', () => {
  it('the entry at offset - first has an inclusion proof against merkle_root', () => {
    const seal = sample();
    const hashes = seal.records.map((entry) => entry.hash);
    const stored = record(13, 7);
    const index = Number(BigInt(stored.modtrail!.origin!.offset) - BigInt(seal.offsets.first));
    const proof = inclusionProof(hashes, index);
    expect(verifyInclusion(merkleLeafHash(recordHash(stored)), index, hashes.length, proof, seal.merkle_root)).toBe(true);
    const tampered = withHash({ ...stored, event: { ...stored.event, severity: 5 } });
    expect(verifyInclusion(merkleLeafHash(recordHash(tampered)), index, hashes.length, proof, seal.merkle_root)).toBe(false);
  });
});

describe('a key made elsewhere', () => {
  it('any Ed25519 CryptoKey signs, given a kid', async () => {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA');
    const jws = await signSeal(sample(), { kid: 'plain', privateKey: privateKey as CryptoKey });
    const { exportJWK } = await import('jose');
    expect(await verifySealJws(jws, { keys: [{ ...(await exportJWK(publicKey)), kid: 'plain' }] })).toMatchObject({ ok: true });
  });
});
