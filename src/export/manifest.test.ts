import { CompactSign, type JSONWebKeySet } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSealKeyJwk, parseSealKeys, publicJwks, type SealKeyring } from '../integrity/keys.js';
import { manifestJwsType, signManifest, verifyManifestJws, type Manifest } from './manifest.js';

const manifest: Manifest = {
  version: 1,
  id: 'e1',
  created_at: '2026-03-02T00:00:00.000Z',
  modtrail_version: '0.1.0',
  exporter: { subject: 'alice', issuer: 'https://idp.example' },
  query: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z', filters: { user: 'jdoe' }, format: 'jsonl' },
  completeness: 'inclusion',
  records: { count: 2, unsealed: 0, context: 0 },
  dead_letters: 0,
  files: [{ name: 'records.jsonl', sha256: 'a'.repeat(64), bytes: 10, lines: 2 }],
  seals: [{ stream: { topic: 't', partition: 0 }, sequence: 0, offsets: { first: '0', last: '9' }, hash: 'b'.repeat(64) }],
};
let keyring: SealKeyring;
let jwks: JSONWebKeySet;

beforeAll(async () => {
  keyring = await parseSealKeys(JSON.stringify(await generateSealKeyJwk('m1', 'ES256')), { source: 'test' });
  jwks = publicJwks(keyring) as unknown as JSONWebKeySet;
});

describe('manifest JWS', () => {
  it('round-trips with its own typ and the key id', async () => {
    const jws = await signManifest(manifest, keyring.active);
    expect(JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString())).toEqual({ alg: 'ES256', kid: 'm1', typ: manifestJwsType });
    expect(await verifyManifestJws(jws, jwks)).toEqual({ ok: true, manifest, kid: 'm1' });
  });

  it('names an unknown key, a foreign typ and a payload that is not canonical', async () => {
    const jws = await signManifest(manifest, keyring.active);
    expect(await verifyManifestJws(jws, { keys: [] })).toMatchObject({ ok: false, failure: 'unknown_kid', claimed: manifest });
    const sign = (payload: string, typ: string) =>
      new CompactSign(new TextEncoder().encode(payload)).setProtectedHeader({ alg: 'ES256', kid: 'm1', typ }).sign(keyring.active.privateKey);
    expect(await verifyManifestJws(await sign(JSON.stringify(manifest), 'JWT'), jwks)).toMatchObject({ ok: false, failure: 'malformed' });
    expect(await verifyManifestJws(await sign(JSON.stringify(manifest, null, 1), manifestJwsType), jwks)).toMatchObject({ ok: false, failure: 'malformed', reason: expect.stringContaining('canonical') });
    expect(await verifyManifestJws('not a jws', jwks)).toMatchObject({ ok: false, failure: 'malformed' });
  });
});
