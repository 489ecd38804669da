import { createHash } from 'node:crypto';
import type { Client } from '@opensearch-project/opensearch';
import type { Settlement } from '../../core/component.js';
import type { AuditRecord } from '../../core/record.js';
import { bulkCreate } from './bulk-create.js';
import { dailyIndex } from './index-names.js';

export interface ReplayRun {
  id: string;
  at: Date;
  revision: string;
  from: Date;
  to: Date;
}

/** Writes a replay's would-be findings, create-only, into the findings indices; never into the audit indices. */
export class OpenSearchFindingsStore {
  constructor(
    private readonly client: Client,
    private readonly indexPrefix: string,
  ) {}

  save(run: ReplayRun, judged: readonly AuditRecord[]): Promise<Settlement[]> {
    return bulkCreate(
      this.client,
      judged.map((record) => ({
        index: dailyIndex(this.indexPrefix, 'findings', run.at.toISOString()),
        id: createHash('sha256').update(`${run.id}\u0000${record.event.id}`).digest('hex').slice(0, 40),
        body: {
          '@timestamp': record['@timestamp'],
          replay: { id: run.id, at: run.at.toISOString(), revision: run.revision, from: run.from.toISOString(), to: run.to.toISOString() },
          record: { id: record.event.id },
          rule: { id: record.rule?.id ?? [], name: record.rule?.name ?? [] },
          event: { action: record.event.action, dataset: record.event.dataset, severity: record.event.severity },
          package: record.package,
          user: record.user,
          host: record.host,
          observer: { name: record.observer.name, product: record.observer.product },
          goenv: record.goenv?.name === undefined ? undefined : { name: record.goenv.name, value: record.goenv.value },
        },
      })),
    );
  }
}
