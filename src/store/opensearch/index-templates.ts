import type { Client } from '@opensearch-project/opensearch';
import { alertMapping, auditRecordMapping, deadLetterMapping, findingMapping, sealMapping } from './mappings.js';
import { indexPattern, readAlias, templateName, type IndexKind } from './index-names.js';

const mappings: Record<IndexKind, object> = {
  audit: auditRecordMapping,
  alerts: alertMapping,
  findings: findingMapping,
  deadletters: deadLetterMapping,
  seals: sealMapping,
};

/** Composable index templates for modtrail's daily indices, each with a read alias; safe to run at every start. */
export async function ensureIndexTemplates(client: Client, prefix: string, options: { appendOnly?: boolean } = {}): Promise<void> {
  for (const [kind, mapping] of Object.entries(mappings) as [IndexKind, object][]) {
    await client.indices.putIndexTemplate({
      name: templateName(prefix, kind),
      body: {
        index_patterns: [indexPattern(prefix, kind)],
        priority: 200,
        template: {
          settings: {
            number_of_shards: 1,
            auto_expand_replicas: '0-1',
            // No refresh_interval: OpenSearch's default refreshes each second while the index is searched, and not while nobody reads it.
            // store.appendOnly (OpenSearch 2.19+): the server itself refuses updates, deletes and overwrites of audit records.
            ...(options.appendOnly && kind === 'audit' ? { 'index.append_only.enabled': true } : {}),
          },
          mappings: mapping,
          aliases: { [readAlias(prefix, kind)]: {} },
        },
        _meta: { managed_by: 'modtrail' },
      },
    });
  }
}
