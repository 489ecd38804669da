import { generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiConfigSchema } from '../config.js';
import { testIssuer, unsignedToken, type TestIssuer } from '../testing/test-tokens.js';
import { createTokenVerifier, rolesAt, type VerifyToken } from './token-verifier.js';

let idp: TestIssuer;
let verify: VerifyToken;
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  idp = await testIssuer();
  const config = apiConfigSchema.parse({
    enabled: true,
    auth: { issuer: idp.issuer, audience: idp.audience, publicKeys: idp.jwks, rolesClaim: 'realm_access.roles', clockToleranceSeconds: 5 },
  });
  verify = createTokenVerifier(config.auth);
});

const claims = { sub: 'alice', realm_access: { roles: ['analyst'] } };

describe('token verification', () => {
  it('accepts a token signed by the configured key, with its subject, issuer and roles', async () => {
    expect(await verify(await idp.sign(claims))).toEqual({ ok: true, principal: { subject: 'alice', issuer: idp.issuer, roles: ['analyst'] } });
  });

  it('refuses alg: none', async () => {
    expect(await verify(unsignedToken({ ...claims, iss: idp.issuer, aud: idp.audience, exp: now() + 600 }))).toMatchObject({ ok: false });
  });

  it('refuses a token signed with another key, even one with the same kid', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key-1' }).setIssuer(idp.issuer).setAudience(idp.audience).setExpirationTime('10m').sign(privateKey);
    expect(await verify(forged)).toEqual({ ok: false, reason: 'token signature does not verify' });
  });

  it('refuses HS256 "signed" with the RSA public key bytes (algorithm confusion)', async () => {
    for (const secret of [idp.publicKeyPem, JSON.stringify(idp.jwks.keys[0])]) {
      const forged = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid: 'test-key-1' })
        .setIssuer(idp.issuer)
        .setAudience(idp.audience)
        .setExpirationTime('10m')
        .sign(new TextEncoder().encode(secret));
      expect(await verify(forged)).toEqual({ ok: false, reason: 'token signature algorithm is not allowed' });
    }
  });

  it('refuses an expired token and one not yet valid, beyond the clock tolerance', async () => {
    expect(await verify(await idp.sign(claims, { expiresIn: now() - 60 }))).toEqual({ ok: false, reason: 'token expired' });
    expect(await verify(await idp.sign(claims, { notBefore: now() + 120 }))).toMatchObject({ ok: false, reason: expect.stringContaining('"nbf"') });
    // Within the tolerance both pass: a few seconds of skew between machines is normal.
    expect(await verify(await idp.sign(claims, { expiresIn: now() - 2 }))).toMatchObject({ ok: true });
  });

  it('refuses a wrong issuer and a wrong audience', async () => {
    expect(await verify(await idp.sign(claims, { issuer: 'https://evil.example' }))).toMatchObject({ ok: false, reason: expect.stringContaining('"iss"') });
    expect(await verify(await idp.sign(claims, { audience: 'another-service' }))).toMatchObject({ ok: false, reason: expect.stringContaining('"aud"') });
  });

  it('refuses garbage and a token without a subject', async () => {
    expect(await verify('not.a.jwt')).toMatchObject({ ok: false });
    expect(await verify(await idp.sign({ realm_access: { roles: ['admin'] } }))).toEqual({ ok: false, reason: 'token has no subject (sub)' });
  });

  it('gives no roles when the role claim is missing (the routes then answer 403)', async () => {
    expect(await verify(await idp.sign({ sub: 'bob' }))).toMatchObject({ ok: true, principal: { roles: [] } });
  });
});

describe('rolesAt', () => {
  it('reads a dotted path, keeps known roles only, and accepts a space-separated string', () => {
    expect(rolesAt({ realm_access: { roles: ['admin', 'root', 7, 'analyst'] } }, 'realm_access.roles')).toEqual(['admin', 'analyst']);
    expect(rolesAt({ roles: 'ingest auditor' }, 'roles')).toEqual(['ingest', 'auditor']);
    expect(rolesAt({ roles: ['admin'] }, 'realm_access.roles')).toEqual([]);
    expect(rolesAt({ __proto__: { roles: ['admin'] } } as never, 'roles')).toEqual([]);
  });
});

describe('api.auth configuration', () => {
  it('never allows none or HMAC algorithms', () => {
    for (const algorithm of ['none', 'HS256']) {
      expect(apiConfigSchema.safeParse({ auth: { algorithms: [algorithm] } }).success).toBe(false);
    }
  });

  it('needs issuer, audience and exactly one key source when enabled', () => {
    const result = apiConfigSchema.safeParse({ enabled: true, auth: {} });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['auth', 'auth.issuer', 'auth.audience']));
    expect(apiConfigSchema.parse({}).enabled).toBe(false);
  });
});
