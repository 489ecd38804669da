import { z } from 'zod';

export const opensearchConfigSchema = z
  .strictObject({
    node: z.url().default('http://127.0.0.1:19200'),
    username: z.string().optional(),
    password: z.string().optional(),
    /** Every index, template and alias modtrail owns starts with this prefix. */
    indexPrefix: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lower case letters, digits, - or _')
      .default('modtrail'),
    requestTimeoutMs: z.number().int().positive().default(30_000),
  })
  .prefault({});

export type OpenSearchConfig = z.infer<typeof opensearchConfigSchema>;
