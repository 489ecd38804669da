import type { Client } from '@opensearch-project/opensearch';
import type { Alert, Settlement } from '../../core/component.js';
import type { AlertStore } from '../../alerts/alert-raiser.js';
import { bulkCreate, type Document } from './bulk-create.js';
import { dailyIndex } from './index-names.js';

/** Alerts are stored, create-only, before anyone is notified of them. */
export class OpenSearchAlertStore implements AlertStore {
  constructor(
    private readonly client: Client,
    private readonly indexPrefix: string,
  ) {}

  save(alerts: readonly Alert[]): Promise<Settlement[]> {
    return bulkCreate(
      this.client,
      alerts.map((alert) => alertDocument(this.indexPrefix, alert)),
    );
  }
}

/** The stored form of an alert: its day's alerts index, its id, and what an analyst needs without opening the record. */
export function alertDocument(indexPrefix: string, alert: Alert): Document {
  return {
    index: dailyIndex(indexPrefix, 'alerts', alert['@timestamp']),
    id: alert.id,
    body: {
      '@timestamp': alert['@timestamp'],
      alert: { id: alert.id, fingerprint: alert.fingerprint, severity: alert.severity },
      rule: alert.rule,
      record: { id: alert.record.event.id, index: dailyIndex(indexPrefix, 'audit', alert.record['@timestamp']) },
      package: alert.record.package,
      user: alert.record.user,
      host: alert.record.host,
    },
  };
}
