import { z } from 'zod';
import { clientTlsSchema } from '../../delivery/client-tls.js';

export const webhookConfigSchema = z
  .strictObject({
    url: z.url().optional(),
    /** Standard Webhooks secret (`whsec_` + base64); when set, every request is signed. */
    secret: z.string().min(1).optional(),
    timeoutMs: z.number().int().positive().default(10_000),
    /** Mutual TLS: the client certificate presented to the receiver (an https:// URL only). */
    tls: clientTlsSchema.optional(),
  })
  .prefault({});

export type WebhookConfig = z.infer<typeof webhookConfigSchema>;
