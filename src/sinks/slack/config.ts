import { z } from 'zod';
import { recordUrlTemplateSchema } from '../alert-summary.js';

export const slackConfigSchema = z
  .strictObject({
    /** The incoming-webhook URL (https://hooks.slack.com/services/…); its path is the credential. */
    url: z.url({ protocol: /^https?$/ }).optional(),
    /** Adds an "Open record" button, e.g. `https://modtrail.example/v1/records/{id}`. */
    recordUrlTemplate: recordUrlTemplateSchema.optional(),
    timeoutMs: z.number().int().positive().default(10_000),
  })
  .prefault({});

export type SlackConfig = z.infer<typeof slackConfigSchema>;
