// The export manifest: what was asked, what was written (with digests), which seals cover it, who exported it;
// signed as a compact JWS whose typ differs from a seal's, so neither can pass for the other.
import { CompactSign, compactVerify, decodeProtectedHeader, errors, importJWK, type JSONWebKeySet } from 'jose';
import { z } from 'zod';
import { canonicalize } from '../integrity/canonical-json.js';
import { isSha256Hex } from '../integrity/digest.js';
import type { SealSigningKey } from '../integrity/keys.js';
import { exportFormats } from './bundle-layout.js';
import { exportFiltersSchema } from './filters.js';

/** The JWS `typ` of an export manifest (a seal's is modtrail-seal+jws). */
export const manifestJwsType = 'modtrail-export+jws';

const sha256 = z.string().refine(isSha256Hex, { error: 'must be 64 lower-case hex digits' });
const time = z.iso.datetime({ error: 'must be an ISO-8601 UTC timestamp' });
const offset = z.string().regex(/^(?:0|[1-9][0-9]{0,18})$/);

export const manifestSchema = z.strictObject({
  version: z.literal(1),
  id: z.string().min(1),
  created_at: time,
  modtrail_version: z.string(),
  exporter: z.strictObject({ subject: z.string().min(1), issuer: z.string().min(1) }),
  query: z.strictObject({ from: time, to: time, filters: exportFiltersSchema, format: z.enum(exportFormats) }),
  /** complete: unfiltered, every sealed record of the range must be here; inclusion: filtered, only what is here is proven. */
  completeness: z.enum(['complete', 'inclusion']),
  records: z.strictObject({
    /** Lines of records.jsonl: the records of the range that pass the filters. */
    count: z.int().nonnegative(),
    /** Of those, how many no seal in the bundle covers (not yet sealed when exported). */
    unsealed: z.int().nonnegative(),
    /** Lines of sealed-context.jsonl. */
    context: z.int().nonnegative(),
  }),
  dead_letters: z.int().nonnegative(),
  /** lines: the file's line feeds (a quoted CSV cell may hold one, so CSV lines are not rows). */
  files: z.array(z.strictObject({ name: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/), sha256, bytes: z.int().nonnegative(), lines: z.int().nonnegative() })),
  seals: z.array(
    z.strictObject({
      stream: z.strictObject({ topic: z.string().min(1), partition: z.int().nonnegative() }),
      sequence: z.int().nonnegative(),
      offsets: z.strictObject({ first: offset, last: offset }),
      /** sealHash: SHA-256 of the seal's canonical JSON (its JWS payload). */
      hash: sha256,
    }),
  ),
});

export type Manifest = z.infer<typeof manifestSchema>;

/** Signs the manifest's canonical JSON with the keyring's active key; header exactly {alg, kid, typ}. */
export async function signManifest(manifest: Manifest, key: SealSigningKey): Promise<string> {
  const parsed = manifestSchema.parse(manifest);
  return new CompactSign(new TextEncoder().encode(canonicalize(parsed))).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: manifestJwsType }).sign(key.privateKey);
}

export type ManifestVerification =
  | { ok: true; manifest: Manifest; kid: string }
  | { ok: false; failure: 'bad_signature' | 'unknown_kid' | 'malformed'; reason: string; kid?: string; claimed?: Manifest };

/**
 * Checks the manifest JWS against a JWKS. On failure it still returns what the payload claims (unverified) when it
 * parses, so the rest of the bundle can be checked and every problem reported, not just the first.
 */
export async function verifyManifestJws(jws: string, jwks: JSONWebKeySet): Promise<ManifestVerification> {
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(jws)) return { ok: false, failure: 'malformed', reason: 'the manifest is not a compact JWS' };
  const claimed = claimedManifest(jws);
  const fail = (failure: 'bad_signature' | 'unknown_kid' | 'malformed', reason: string, kid?: string): ManifestVerification => ({
    ok: false,
    failure,
    reason,
    ...(kid === undefined ? {} : { kid }),
    ...(claimed === undefined ? {} : { claimed }),
  });
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jws);
  } catch {
    return fail('malformed', 'the protected header cannot be decoded');
  }
  const { alg, kid, typ } = header;
  if (typeof kid !== 'string' || kid === '') return fail('malformed', 'the header names no kid');
  if (typ !== manifestJwsType) return fail('malformed', `the header typ is ${JSON.stringify(typ)}, not ${manifestJwsType}`, kid);
  if (Object.keys(header).some((name) => !['alg', 'kid', 'typ'].includes(name))) return fail('malformed', 'the header has members a manifest does not use', kid);
  if (alg !== 'EdDSA' && alg !== 'ES256') return fail('malformed', `alg ${String(alg)} is not accepted`, kid);
  const jwk = (Array.isArray(jwks?.keys) ? jwks.keys : []).find((candidate) => candidate.kid === kid);
  if (jwk === undefined) return fail('unknown_kid', `no key with kid "${kid}" in the JWKS`, kid);
  let payload: Uint8Array;
  try {
    const { kty, crv, x, y } = jwk;
    const key = await importJWK({ kty, crv, x, ...(y === undefined ? {} : { y }) }, alg);
    ({ payload } = await compactVerify(jws, key, { algorithms: [alg] }));
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) return fail('bad_signature', `the signature does not verify with key "${kid}"`, kid);
    return fail('bad_signature', `the key "${kid}" cannot check this manifest (${error instanceof Error ? error.message : String(error)})`, kid);
  }
  const text = new TextDecoder().decode(payload);
  const parsed = parseManifest(text);
  if (!parsed.ok) return fail('malformed', parsed.reason, kid);
  if (canonicalize(parsed.manifest) !== text) return fail('malformed', 'the payload is not in canonical form', kid);
  return { ok: true, manifest: parsed.manifest, kid };
}

function parseManifest(text: string): { ok: true; manifest: Manifest } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'the payload is not JSON' };
  }
  const result = manifestSchema.safeParse(value);
  if (result.success) return { ok: true, manifest: result.data };
  const issue = result.error.issues[0];
  return { ok: false, reason: `the payload is not a manifest: ${issue?.path.join('.') || 'manifest'} ${issue?.message ?? 'is invalid'}` };
}

function claimedManifest(jws: string): Manifest | undefined {
  try {
    const parsed = parseManifest(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8'));
    return parsed.ok ? parsed.manifest : undefined;
  } catch {
    return undefined;
  }
}
