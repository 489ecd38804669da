import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { ApiAuthConfig } from '../config.js';
import { isRole, type Principal, type Role } from './principal.js';

/** Why a token was refused, in words safe to send back (never the token itself). */
export type TokenVerdict = { ok: true; principal: Principal } | { ok: false; reason: string };

export type VerifyToken = (token: string) => Promise<TokenVerdict>;

/**
 * Verifies bearer JWTs against the configured JWKS URL or public keys: signature, issuer, audience, time
 * claims (with the configured tolerance), and only the allowed asymmetric algorithms, so `alg: none` and
 * HS256 tokens keyed with a public key are refused before any key is tried.
 */
export function createTokenVerifier(config: ApiAuthConfig): VerifyToken {
  const keys =
    config.jwksUrl !== undefined
      ? createRemoteJWKSet(new URL(config.jwksUrl))
      : config.publicKeys !== undefined
        ? createLocalJWKSet(config.publicKeys as unknown as JSONWebKeySet)
        : undefined;
  if (keys === undefined) throw new Error('api.auth needs jwksUrl or publicKeys');
  const { issuer, audience } = config;
  if (issuer === undefined || audience === undefined) throw new Error('api.auth needs issuer and audience');
  const options = { issuer, audience, algorithms: [...config.algorithms], clockTolerance: config.clockToleranceSeconds };

  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, options));
    } catch (error) {
      return { ok: false, reason: refusalReason(error) };
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') return { ok: false, reason: 'token has no subject (sub)' };
    return { ok: true, principal: { subject: payload.sub, issuer, roles: rolesAt(payload, config.rolesClaim) } };
  };
}

/** The known roles found at a dotted claim path; unknown names and non-strings are ignored. */
export function rolesAt(payload: JWTPayload, path: string): Role[] {
  let value: unknown = payload;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return [];
    value = (value as Record<string, unknown>)[key];
  }
  const names = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : [];
  return [...new Set(names.filter(isRole))];
}

function refusalReason(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `token claim "${error.claim}" is not acceptable (${error.reason})`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'token signature algorithm is not allowed';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'token signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return 'no known key matches the token';
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return 'signing keys are unavailable';
  if (error instanceof errors.JOSEError) return 'token is not a valid JWT';
  return 'token could not be verified';
}
