import { z } from 'zod';
import { recordUrlTemplateSchema } from '../alert-summary.js';

export const pagerDutyEventsUrl = 'https://events.pagerduty.com/v2/enqueue';

export const pagerDutyConfigSchema = z
  .strictObject({
    /** The integration key of an Events API v2 integration (a service's or a ruleset's): a secret. */
    routingKey: z.string().length(32, 'must be the 32-character integration key of an Events API v2 integration').optional(),
    /** Where events go; only tests and an egress proxy need another. */
    url: z.url({ protocol: /^https?$/ }).default(pagerDutyEventsUrl),
    /** Adds a link to the alert, e.g. `https://modtrail.example/v1/records/{id}`. */
    recordUrlTemplate: recordUrlTemplateSchema.optional(),
    timeoutMs: z.number().int().positive().default(10_000),
  })
  .prefault({});

export type PagerDutyConfig = z.infer<typeof pagerDutyConfigSchema>;
