import { z } from 'zod';
import { recordUrlTemplateSchema } from '../alert-summary.js';

export const teamsConfigSchema = z
  .strictObject({
    /** The URL of a Workflows "When a Teams webhook request is received" trigger; its `sig` is the credential. */
    url: z.url({ protocol: /^https?$/ }).optional(),
    /** Adds an "Open record" action, e.g. `https://modtrail.example/v1/records/{id}`. */
    recordUrlTemplate: recordUrlTemplateSchema.optional(),
    timeoutMs: z.number().int().positive().default(10_000),
  })
  .prefault({});

export type TeamsConfig = z.infer<typeof teamsConfigSchema>;
