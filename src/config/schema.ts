import { z } from 'zod';
import { opaConfigSchema } from '../evaluate/opa/config.js';
import { opensearchConfigSchema } from '../sinks/opensearch/config.js';
import { pagerDutyConfigSchema } from '../sinks/pagerduty/config.js';
import { slackConfigSchema } from '../sinks/slack/config.js';
import { teamsConfigSchema } from '../sinks/teams/config.js';
import { webhookConfigSchema } from '../sinks/webhook/config.js';
import { kafkaConfigSchema } from '../sources/kafka/config.js';
import { metricsConfigSchema } from '../telemetry/metrics-server.js';

/** The whole configuration; each component's folder owns its part and its defaults. */
export const configSchema = z.strictObject({
  log: z.strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }).prefault({}),
  kafka: kafkaConfigSchema,
  opensearch: opensearchConfigSchema,
  policy: opaConfigSchema,
  alerts: z
    .strictObject({ webhook: webhookConfigSchema, slack: slackConfigSchema, teams: teamsConfigSchema, pagerduty: pagerDutyConfigSchema })
    .prefault({}),
  metrics: metricsConfigSchema,
});

export type Config = z.infer<typeof configSchema>;
