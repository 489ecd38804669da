import type { Alert } from '../../src/core/component.js';
import { ecsVersion, type AuditRecord } from '../../src/core/record.js';

/** An alert of the module.not_allowlisted rule on the record; the changes are spread over the alert. */
const alertOn = (severity: number, record: AuditRecord, changes: Partial<Alert>): Alert => ({
  id: 'a'.repeat(40),
  '@timestamp': '2026-11-24T08:00:00.000Z',
  rule: { id: ['module.not_allowlisted'], name: ['Module outside the allowlist'], version: 'sha256-abc' },
  severity,
  fingerprint: 'f'.repeat(40),
  record,
  ...changes,
});

/** artifactoryAlert with the changes spread over the record and the alert. */
export const artifactoryAlertWith = (recordChanges: Partial<AuditRecord> = {}, changes: Partial<Alert> = {}): Alert =>
  alertOn(
    4,
    {
      '@timestamp': '2026-11-24T07:59:58.000Z',
      ecs: { version: ecsVersion },
      event: { id: 'e1', kind: 'event', category: ['web'], type: ['access'], action: 'module.zip', outcome: 'success', dataset: 'artifactory.request', ingested: '2026-11-24T08:00:01.000Z', original: 'raw' },
      observer: { vendor: 'JFrog', product: 'Artifactory', type: 'proxy', name: 'rt-eu-1' },
      user: { name: 'jdoe' },
      host: { name: 'DEV-0042' },
      package: { name: 'github.com/evil-corp/backdoor', version: 'v1.2.3', type: 'golang' },
      ...recordChanges,
    },
    changes,
  );

/** A severity-4 alert on a module fetched through Artifactory by a named user on a named host. */
export const artifactoryAlert: Alert = artifactoryAlertWith();

/** A severity-3 alert on a module fetched through Athens, with no user or host; the changes are spread over the record and the alert. */
export const athensAlert = (recordChanges: Partial<AuditRecord> = {}, changes: Partial<Alert> = {}): Alert =>
  alertOn(
    3,
    {
      '@timestamp': '2026-11-24T07:59:58.000Z',
      ecs: { version: ecsVersion },
      event: { id: 'e1', kind: 'event', category: ['web'], type: ['access'], action: 'module.zip', outcome: 'success', dataset: 'athens.access', ingested: '2026-11-24T08:00:01.000Z', original: 'raw' },
      observer: { product: 'athens', type: 'proxy', name: 'athens-eu-1' },
      package: { name: 'github.com/evil-corp/backdoor', version: 'v1.2.3', type: 'golang' },
      ...recordChanges,
    },
    changes,
  );
