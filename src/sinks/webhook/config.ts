import { z } from 'zod';

export const webhookConfigSchema = z
  .strictObject({
    url: z.url().optional(),
    /** Standard Webhooks secret (`whsec_` + base64); when set, every request is signed. */
    secret: z.string().min(1).optional(),
    timeoutMs: z.number().int().positive().default(10_000),
  })
  .prefault({});

export type WebhookConfig = z.infer<typeof webhookConfigSchema>;
