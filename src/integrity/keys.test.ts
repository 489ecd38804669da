import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModtrailError } from '../core/errors.js';
import { generateSealKeyJwk, loadSealKeys, parseSealKeys, publicJwks } from './keys.js';

const source = 'test keys';
let ed: Record<string, unknown>;
let ec: Record<string, unknown>;
let next: Record<string, unknown>;

beforeAll(async () => {
  ed = { ...(await generateSealKeyJwk('2026-01')) };
  ec = { ...(await generateSealKeyJwk('ec-1', 'ES256')) };
  next = { ...(await generateSealKeyJwk('2026-07')) };
});

const withoutPrivate = (jwk: Record<string, unknown>) => {
  const { d: _d, ...rest } = jwk;
  return rest;
};

/** Every private part of the keys used in these tests: none may ever appear in an error message. */
const secrets = () => [ed.d, ec.d, next.d] as string[];

async function failure(text: string, options: { activeKid?: string } = {}): Promise<ModtrailError> {
  try {
    await parseSealKeys(text, { ...options, source });
  } catch (error) {
    expect(error).toBeInstanceOf(ModtrailError);
    const message = (error as ModtrailError).message;
    for (const secret of secrets()) expect(message).not.toContain(secret);
    expect((error as ModtrailError).cause).toBeUndefined();
    return error as ModtrailError;
  }
  throw new Error('expected the keys to be refused');
}

describe('parseSealKeys', () => {
  it('takes a single private Ed25519 JWK and makes it the active key', async () => {
    const keyring = await parseSealKeys(JSON.stringify(ed), { source });
    expect(keyring.active.kid).toBe('2026-01');
    expect(keyring.active.alg).toBe('EdDSA');
    expect(keyring.active.privateKey.extractable).toBe(false);
    expect(keyring.publicKeys).toEqual([{ kty: 'OKP', crv: 'Ed25519', x: ed.x, kid: '2026-01', alg: 'EdDSA', use: 'sig' }]);
  });

  it('takes a P-256 key as ES256', async () => {
    const keyring = await parseSealKeys(JSON.stringify(ec), { source });
    expect(keyring.active.alg).toBe('ES256');
    expect(keyring.publicKeys[0]).toEqual({ kty: 'EC', crv: 'P-256', x: ec.x, y: ec.y, kid: 'ec-1', alg: 'ES256', use: 'sig' });
  });

  it('rotation: one private key signs, the retired public keys are kept for verification', async () => {
    const text = JSON.stringify({ keys: [withoutPrivate(ed), next, withoutPrivate(ec)] });
    const keyring = await parseSealKeys(text, { source });
    expect(keyring.active.kid).toBe('2026-07');
    expect(keyring.publicKeys.map((key) => key.kid)).toEqual(['2026-07', '2026-01', 'ec-1']);
  });

  it('rotation: with several private keys, the active kid chooses', async () => {
    const text = JSON.stringify({ keys: [ed, next] });
    expect((await failure(text)).message).toBe('test keys holds 2 private keys; name the one to sign with (active kid)');
    const keyring = await parseSealKeys(text, { source, activeKid: '2026-07' });
    expect(keyring.active.kid).toBe('2026-07');
    expect(keyring.publicKeys.map((key) => key.kid)).toEqual(['2026-07', '2026-01']);
  });

  it('publicJwks carries public parts only, with kid, alg and use', async () => {
    const keyring = await parseSealKeys(JSON.stringify({ keys: [ed, withoutPrivate(ec)] }), { source });
    const jwks = publicJwks(keyring);
    const text = JSON.stringify(jwks);
    for (const secret of secrets()) expect(text).not.toContain(secret);
    expect(jwks.keys.every((key) => !('d' in key) && key.use === 'sig' && key.kid !== '' && key.alg !== undefined)).toBe(true);
  });

  it('drops members it does not know, so nothing stray is published', async () => {
    const keyring = await parseSealKeys(JSON.stringify({ ...ed, p: 'stray', key_ops: ['sign'], ext: true }), { source });
    expect(Object.keys(keyring.publicKeys[0]!).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x']);
  });

  it.each<[string, () => string, { activeKid?: string }, RegExp]>([
    ['text that is not JSON', () => `{"kty":"OKP","d":"${String(ed.d)}",`, {}, /^test keys is not valid JSON$/],
    ['an empty set', () => '{"keys":[]}', {}, /holds no keys/],
    ['a key without kid', () => JSON.stringify({ ...ed, kid: undefined }), {}, /key 0 has no kid/],
    ['an RSA key', () => JSON.stringify({ kty: 'RSA', kid: 'r', n: 'x', e: 'AQAB', d: ed.d }), {}, /key 0 \(kid "r"\) is neither an Ed25519/],
    ['a symmetric key', () => JSON.stringify({ kty: 'oct', kid: 'o', k: ed.d }), {}, /is neither an Ed25519/],
    ['an alg that does not fit', () => JSON.stringify({ ...ed, alg: 'ES256' }), {}, /names an alg that does not fit its key type \(expected EdDSA\)/],
    ['an encryption key', () => JSON.stringify({ ...ed, use: 'enc' }), {}, /is not a signature key/],
    ['a P-256 key without y', () => JSON.stringify({ ...ec, y: undefined }), {}, /lacks its public coordinates/],
    ['a malformed private part', () => JSON.stringify({ ...ed, d: `${String(ed.d)}!` }), {}, /has a malformed private part/],
    ['two keys with one kid', () => JSON.stringify({ keys: [ed, { ...next, kid: '2026-01' }] }), {}, /kid "2026-01" is used by more than one key/],
    ['public keys only', () => JSON.stringify({ keys: [withoutPrivate(ed)] }), {}, /holds no private key to sign seals with/],
    ['an active kid that is not there', () => JSON.stringify(ed), { activeKid: 'nope' }, /no key has the active kid "nope"/],
    ['an active kid without private part', () => JSON.stringify({ keys: [ed, withoutPrivate(next)] }), { activeKid: '2026-07' }, /the active key "2026-07" has no private part/],
    ['halves that do not match', () => JSON.stringify({ ...ed, x: next.x }), {}, /key "2026-01"/],
  ])('refuses %s, and says why without quoting a key', async (_name, text, options, message) => {
    const error = await failure(text(), options);
    expect(error.code).toBe('config.invalid');
    expect(error.message).toMatch(message);
  });
});

describe('loadSealKeys', () => {
  let directory: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'modtrail-keys-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('reads a key file', async () => {
    const file = join(directory, 'seal-key.json');
    await writeFile(file, JSON.stringify(ed));
    expect((await loadSealKeys({ file })).active.kid).toBe('2026-01');
  });

  it('names a missing file and its error code', async () => {
    const file = join(directory, 'absent.json');
    await expect(loadSealKeys({ file })).rejects.toThrow(`seal keys file ${file} cannot be read (ENOENT)`);
  });

  it("reads an environment variable's value", async () => {
    const environment = { MODTRAIL_SEAL_KEYS: JSON.stringify({ keys: [ed, next] }) };
    const keyring = await loadSealKeys({ env: 'MODTRAIL_SEAL_KEYS', environment }, { activeKid: '2026-01' });
    expect(keyring.active.kid).toBe('2026-01');
  });

  it('names an unset variable, and the source of a bad value without its content', async () => {
    await expect(loadSealKeys({ env: 'MODTRAIL_SEAL_KEYS', environment: {} })).rejects.toThrow('environment variable MODTRAIL_SEAL_KEYS holds no seal keys');
    const environment = { MODTRAIL_SEAL_KEYS: `{"d":"${String(ed.d)}"` };
    const error = (await loadSealKeys({ env: 'MODTRAIL_SEAL_KEYS', environment }).catch((caught: unknown) => caught)) as Error;
    expect(error.message).toBe('environment variable MODTRAIL_SEAL_KEYS is not valid JSON');
  });
});
