import type { Client } from '@opensearch-project/opensearch';
import type { RecordSink, Settlement } from '../../core/component.js';
import type { AuditRecord } from '../../core/record.js';
import { bulkCreate } from '../../store/opensearch/bulk-create.js';
import { dailyIndex } from '../../store/opensearch/index-names.js';
import { ensureIndexTemplates } from '../../store/opensearch/index-templates.js';

/** Writes audit records create-only into daily indices, with the event id as the document id. */
export class OpenSearchSink implements RecordSink {
  readonly name = 'opensearch';

  constructor(
    private readonly client: Client,
    private readonly indexPrefix: string,
    private readonly options: { appendOnly?: boolean } = {},
  ) {}

  async start(): Promise<void> {
    await ensureIndexTemplates(this.client, this.indexPrefix, this.options);
  }

  write(records: readonly AuditRecord[]): Promise<Settlement[]> {
    return bulkCreate(
      this.client,
      records.map((record) => ({
        index: dailyIndex(this.indexPrefix, 'audit', record['@timestamp']),
        id: record.event.id,
        body: record,
      })),
    );
  }

  async stop(): Promise<void> {
    // Nothing buffered: every write is settled before write() resolves.
  }
}
