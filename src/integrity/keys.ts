// Seal signing keys: loaded from a JWK or JWKS (a file, or an environment variable's value), one of them active
// for signing, every one of them published (public parts only) so seals signed before a rotation still verify.
import { readFile } from 'node:fs/promises';
import { CompactSign, compactVerify, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { ModtrailError } from '../core/errors.js';

export const sealAlgorithms = ['EdDSA', 'ES256'] as const;
export type SealAlgorithm = (typeof sealAlgorithms)[number];

/** A public verification key as published in /.well-known/jwks.json. */
export interface PublicSealJwk {
  kty: 'OKP' | 'EC';
  crv: 'Ed25519' | 'P-256';
  x: string;
  y?: string;
  kid: string;
  alg: SealAlgorithm;
  use: 'sig';
}

/** The key that signs new seals. The private key is a non-extractable CryptoKey: it cannot be read back out. */
export interface SealSigningKey {
  kid: string;
  alg: SealAlgorithm;
  privateKey: CryptoKey;
}

export interface SealKeyring {
  active: SealSigningKey;
  /** The public part of every key, the active one first. */
  publicKeys: PublicSealJwk[];
}

export interface SealKeyOptions {
  /** The kid of the key to sign with; needed when more than one private key is given. */
  activeKid?: string;
}

/** Where the key JSON comes from: a file, or the value of an environment variable. */
export type SealKeySource = { file: string } | { env: string; environment?: NodeJS.ProcessEnv };

const fail = (message: string) => new ModtrailError('config.invalid', message);

/** Reads the key JSON from its source and parses it (see parseSealKeys). */
export async function loadSealKeys(source: SealKeySource, options: SealKeyOptions = {}): Promise<SealKeyring> {
  if ('file' in source) {
    let text: string;
    try {
      text = await readFile(source.file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw fail(`seal keys file ${source.file} cannot be read (${code})`);
    }
    return parseSealKeys(text, { ...options, source: `seal keys file ${source.file}` });
  }
  const text = (source.environment ?? process.env)[source.env];
  if (text === undefined || text.trim() === '') throw fail(`environment variable ${source.env} holds no seal keys`);
  return parseSealKeys(text, { ...options, source: `environment variable ${source.env}` });
}

/**
 * Parses a JWK or a JWKS ({"keys": [...]}) of Ed25519 (OKP) or P-256 (EC) keys, each with a unique kid. Keys with
 * private material ("d") can sign; public-only keys are kept for verification (retired keys). Errors name the
 * source, the key's position and kid, never a key's value.
 */
export async function parseSealKeys(text: string, options: SealKeyOptions & { source: string }): Promise<SealKeyring> {
  const { source } = options;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse's message can quote the text, which holds private keys: say only that it is not JSON.
    throw fail(`${source} is not valid JSON`);
  }
  const jwks = isObject(parsed) && Array.isArray(parsed.keys) ? (parsed.keys as unknown[]) : [parsed];
  if (jwks.length === 0) throw fail(`${source} holds no keys`);

  const keys = jwks.map((jwk, index) => readKey(jwk, `${source}, key ${index}`));
  const kids = new Set<string>();
  for (const key of keys) {
    if (kids.has(key.public.kid)) throw fail(`${source}: kid "${key.public.kid}" is used by more than one key`);
    kids.add(key.public.kid);
  }

  const signing = keys.filter((key) => key.privateJwk !== undefined);
  let active: ReadKey | undefined;
  if (options.activeKid !== undefined) {
    active = keys.find((key) => key.public.kid === options.activeKid);
    if (active === undefined) throw fail(`${source}: no key has the active kid "${options.activeKid}"`);
    if (active.privateJwk === undefined) throw fail(`${source}: the active key "${options.activeKid}" has no private part`);
  } else if (signing.length === 1) {
    active = signing[0];
  } else if (signing.length === 0) {
    throw fail(`${source} holds no private key to sign seals with`);
  } else {
    throw fail(`${source} holds ${signing.length} private keys; name the one to sign with (active kid)`);
  }
  const { public: activePublic, privateJwk } = active!;

  let privateKey: CryptoKey;
  try {
    privateKey = (await importJWK(privateJwk!, activePublic.alg, { extractable: false })) as CryptoKey;
  } catch {
    throw fail(`${source}: the private part of key "${activePublic.kid}" is not a valid ${activePublic.crv} key`);
  }
  await assertPair(privateKey, activePublic, source);

  return {
    active: { kid: activePublic.kid, alg: activePublic.alg, privateKey },
    publicKeys: [activePublic, ...keys.map((key) => key.public).filter((key) => key.kid !== activePublic.kid)],
  };
}

/** The JWKS to publish (e.g. at /.well-known/jwks.json): public parts only, with kid, alg and use "sig". */
export function publicJwks(keyring: Pick<SealKeyring, 'publicKeys'>): { keys: PublicSealJwk[] } {
  return { keys: keyring.publicKeys.map((key) => ({ ...key })) };
}

/** A new private JWK for sealing, with kid, alg and use set: what an operator stores as the key file. */
export async function generateSealKeyJwk(kid: string, alg: SealAlgorithm = 'EdDSA'): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' };
}

interface ReadKey {
  public: PublicSealJwk;
  privateJwk?: JWK;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const isBase64url = (value: unknown): value is string => typeof value === 'string' && /^[A-Za-z0-9_-]+$/.test(value);

function readKey(jwk: unknown, where: string): ReadKey {
  if (!isObject(jwk)) throw fail(`${where} is not a JWK object`);
  if (typeof jwk.kid !== 'string' || jwk.kid.trim() === '') throw fail(`${where} has no kid`);
  const named = `${where} (kid "${jwk.kid}")`;
  let alg: SealAlgorithm;
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') alg = 'EdDSA';
  else if (jwk.kty === 'EC' && jwk.crv === 'P-256') alg = 'ES256';
  else throw fail(`${named} is neither an Ed25519 (kty OKP) nor a P-256 (kty EC) key`);
  const algOk = jwk.alg === undefined || jwk.alg === alg || (alg === 'EdDSA' && jwk.alg === 'Ed25519');
  if (!algOk) throw fail(`${named} names an alg that does not fit its key type (expected ${alg})`);
  if (jwk.use !== undefined && jwk.use !== 'sig') throw fail(`${named} is not a signature key (use must be "sig")`);
  if (!isBase64url(jwk.x) || (alg === 'ES256' && !isBase64url(jwk.y))) throw fail(`${named} lacks its public coordinates`);
  if (jwk.d !== undefined && !isBase64url(jwk.d)) throw fail(`${named} has a malformed private part`);

  // Only the members that make the key are copied: nothing private can slip into the published set.
  const publicJwk: PublicSealJwk =
    alg === 'ES256'
      ? { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y as string, kid: jwk.kid, alg, use: 'sig' }
      : { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: jwk.kid, alg, use: 'sig' };
  if (jwk.d === undefined) return { public: publicJwk };
  const { kty, crv, x, y } = publicJwk;
  return { public: publicJwk, privateJwk: { kty, crv, x, ...(y === undefined ? {} : { y }), d: jwk.d } };
}

/** Signs a probe and checks it with the public part, so a key file whose halves do not match fails at start-up. */
async function assertPair(privateKey: CryptoKey, publicJwk: PublicSealJwk, source: string): Promise<void> {
  try {
    const probe = await new CompactSign(new TextEncoder().encode('modtrail seal key check'))
      .setProtectedHeader({ alg: publicJwk.alg })
      .sign(privateKey);
    await compactVerify(probe, await importJWK({ ...publicJwk }, publicJwk.alg));
  } catch {
    throw fail(`${source}: the private and public parts of key "${publicJwk.kid}" do not match`);
  }
}
