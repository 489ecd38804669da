import { z } from 'zod';
import { alertsConfigSchema } from '../alerts/config.js';
import { apiConfigSchema } from '../api/config.js';
import { opaConfigSchema } from '../evaluate/opa/config.js';
import { opensearchConfigSchema } from '../sinks/opensearch/config.js';
import { exportConfigSchema } from '../export/config.js';
import { integrityConfigSchema } from '../integrity/config.js';
import { kafkaConfigSchema } from '../sources/kafka/config.js';
import { storeConfigSchema } from '../store/opensearch/index-lifecycle-config.js';
import { metricsConfigSchema } from '../telemetry/metrics-server.js';

/** The whole configuration; each component's folder owns its part and its defaults. */
export const configSchema = z.strictObject({
  log: z.strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }).prefault({}),
  kafka: kafkaConfigSchema,
  opensearch: opensearchConfigSchema,
  store: storeConfigSchema,
  policy: opaConfigSchema,
  alerts: alertsConfigSchema,
  metrics: metricsConfigSchema,
  integrity: integrityConfigSchema,
  export: exportConfigSchema,
  api: apiConfigSchema,
});

export type Config = z.infer<typeof configSchema>;
