import type { Client } from '@opensearch-project/opensearch';
import type { Alert, Settlement } from '../../core/component.js';
import type { AlertStore } from '../../alerts/alert-raiser.js';
import { bulkCreate } from './bulk-create.js';
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
      alerts.map((alert) => ({
        index: dailyIndex(this.indexPrefix, 'alerts', alert['@timestamp']),
        id: alert.id,
        body: {
          '@timestamp': alert['@timestamp'],
          alert: { id: alert.id, fingerprint: alert.fingerprint, severity: alert.severity },
          rule: alert.rule,
          record: { id: alert.record.event.id, index: dailyIndex(this.indexPrefix, 'audit', alert.record['@timestamp']) },
          package: alert.record.package,
          user: alert.record.user,
          host: alert.record.host,
        },
      })),
    );
  }
}
