import { z } from 'zod';

/** Signature algorithms a token may use; 'none' and anything unlisted is never accepted. */
export const asymmetricAlgorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

const authSchema = z
  .strictObject({
    issuer: z.string().min(1).optional(),
    audience: z.string().min(1).optional(),
    /** Where the identity provider publishes its signing keys (fetched and cached by jose). */
    jwksUrl: z.url().optional(),
    /** Or the public keys themselves, as a JWKS document ({ keys: [...] }). */
    publicKeys: z.strictObject({ keys: z.array(z.record(z.string(), z.unknown())).min(1) }).optional(),
    // Only asymmetric algorithms: with public keys, an HS* token "signed" with the public key bytes must never verify.
    algorithms: z.array(z.enum(asymmetricAlgorithms)).min(1).default(['RS256', 'ES256']),
    clockToleranceSeconds: z.number().int().min(0).max(300).default(30),
    /** Dotted path of the claim holding the roles, e.g. `realm_access.roles` (Keycloak) or `roles`. */
    rolesClaim: z.string().regex(/^[^.\s]+(\.[^.\s]+)*$/, 'must be a dotted claim path').default('roles'),
  })
  .prefault({});

export const apiConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    host: z.string().min(1).default('127.0.0.1'),
    /** 0 takes any free port (tests). */
    port: z.number().int().min(0).max(65535).default(8080),
    auth: authSchema,
    /** Signs pagination cursors; set the same value on every replica behind one load balancer (default: per process). */
    cursorSecret: z.string().min(32).optional(),
    limits: z
      .strictObject({
        maxPageSize: z.number().int().min(1).max(10_000).default(500),
        defaultPageSize: z.number().int().min(1).max(10_000).default(50),
        /** Largest POST /v1/events body, in bytes. */
        maxIngestBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024),
        maxIngestLines: z.number().int().min(1).max(100_000).default(5000),
        /** How long a pagination cursor's point in time stays open between pages. */
        cursorKeepAlive: z.string().regex(/^\d+[smh]$/, 'must be like 90s, 5m or 1h').default('5m'),
      })
      .prefault({}),
  })
  .superRefine((api, context) => {
    if (!api.enabled) return;
    const { jwksUrl, publicKeys } = api.auth;
    if ((jwksUrl === undefined) === (publicKeys === undefined)) {
      context.addIssue({ code: 'custom', path: ['auth'], message: 'exactly one of auth.jwksUrl or auth.publicKeys is required when the API is enabled' });
    }
    if (api.auth.issuer === undefined) context.addIssue({ code: 'custom', path: ['auth', 'issuer'], message: 'required when the API is enabled' });
    if (api.auth.audience === undefined) context.addIssue({ code: 'custom', path: ['auth', 'audience'], message: 'required when the API is enabled' });
    if (api.limits.defaultPageSize > api.limits.maxPageSize) {
      context.addIssue({ code: 'custom', path: ['limits', 'defaultPageSize'], message: 'must not exceed limits.maxPageSize' });
    }
  })
  .prefault({});

export type ApiConfig = z.infer<typeof apiConfigSchema>;
export type ApiAuthConfig = ApiConfig['auth'];
