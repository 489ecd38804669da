import { z } from 'zod';

/** Where the seal signing keys come from: a JWK/JWKS file, or the name of an environment variable holding one. */
const keySourceSchema = z.union([
  z.strictObject({ file: z.string().min(1) }),
  z.strictObject({
    env: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
      .refine((name) => !name.startsWith('MODTRAIL_'), 'must not start with MODTRAIL_ (those names are settings)'),
  }),
]);

export const integrityConfigSchema = z
  .strictObject({
    /** Seal signing keys; `modtrail serve` refuses to start without them. */
    keys: keySourceSchema.optional(),
    /** The kid that signs new seals; needed when the keys hold more than one private key (during a rotation). */
    activeKid: z.string().min(1).optional(),
    /** A partition's settled offsets are sealed at most this long after the first of them settled. */
    sealEveryMs: z.number().int().min(10).default(60_000),
    /** ...or as soon as this many are waiting. */
    sealEveryRecords: z.number().int().min(1).max(100_000).default(10_000),
  })
  .prefault({});

export type IntegrityConfig = z.infer<typeof integrityConfigSchema>;
