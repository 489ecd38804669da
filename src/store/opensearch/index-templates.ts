import type { Client } from '@opensearch-project/opensearch';
import { alertMapping, auditRecordMapping, findingMapping } from './mappings.js';
import { indexPattern, readAlias, templateName, type IndexKind } from './index-names.js';

const mappings: Record<Exclude<IndexKind, 'deadletters'>, object> = { audit: auditRecordMapping, alerts: alertMapping, findings: findingMapping };

/** Composable index templates for modtrail's daily indices, each with a read alias; safe to run at every start. */
export async function ensureIndexTemplates(client: Client, prefix: string): Promise<void> {
  for (const [kind, mapping] of Object.entries(mappings) as [IndexKind, object][]) {
    await client.indices.putIndexTemplate({
      name: templateName(prefix, kind),
      body: {
        index_patterns: [indexPattern(prefix, kind)],
        priority: 200,
        template: {
          settings: { number_of_shards: 1, auto_expand_replicas: '0-1', refresh_interval: '1s' },
          mappings: mapping,
          aliases: { [readAlias(prefix, kind)]: {} },
        },
        _meta: { managed_by: 'modtrail' },
      },
    });
  }
}
