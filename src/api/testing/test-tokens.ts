// Keys and tokens for the API's tests: an issuer with its own key pair, and a way to sign any claims with it.
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';

export interface TestIssuer {
  issuer: string;
  audience: string;
  /** The public JWKS the API is configured with. */
  jwks: { keys: JWK[] };
  publicKeyPem: string;
  sign(claims: JWTPayload, options?: { expiresIn?: string | number; notBefore?: string | number; issuer?: string; audience?: string }): Promise<string>;
}

export async function testIssuer(kid = 'test-key-1'): Promise<TestIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const issuer = 'https://idp.test.example/realms/sec';
  const audience = 'modtrail-api';
  return {
    issuer,
    audience,
    jwks: { keys: [jwk] },
    publicKeyPem: await exportSPKI(publicKey),
    async sign(claims, options = {}) {
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuedAt()
        .setIssuer(options.issuer ?? issuer)
        .setAudience(options.audience ?? audience)
        .setExpirationTime(options.expiresIn ?? '10m');
      if (options.notBefore !== undefined) jwt.setNotBefore(options.notBefore);
      return jwt.sign(privateKey);
    },
  };
}

/** A token with `alg: none` and no signature. */
export function unsignedToken(claims: JWTPayload): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}
