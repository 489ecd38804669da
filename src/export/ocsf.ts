// Audit records and alerts as OCSF 1.3.0 events (https://schema.ocsf.io/1.3.0/), for the `ocsf` export format:
// proxy and API requests are API Activity (6003), Go-settings changes Device Config State Change (5019), alerts
// Detection Finding (2004). Pure functions; docs/OCSF.md has the field-by-field mapping.
import type { Alert } from '../core/component.js';
import type { AuditRecord } from '../core/record.js';
import { toApiActivity, type OcsfApiActivity } from './ocsf/api-activity.js';
import type { OcsfOptions } from './ocsf/base.js';
import { toDetectionFinding, type OcsfDetectionFinding } from './ocsf/detection-finding.js';
import { toDeviceConfigStateChange, type OcsfDeviceConfigStateChange } from './ocsf/device-config-state-change.js';

export { ocsfVersion, type OcsfOptions } from './ocsf/base.js';
export type { OcsfApiActivity, OcsfDetectionFinding, OcsfDeviceConfigStateChange };

/** A record's OCSF event: one of the two record classes. */
export type OcsfRecordEvent = OcsfApiActivity | OcsfDeviceConfigStateChange;
export type OcsfEvent = OcsfRecordEvent | OcsfDetectionFinding;

/**
 * Which class a record becomes, by the area of its event.action: a machine's settings (goenv.*, and the other
 * registry values Sysmon reports) are device configuration; everything else is a request to a proxy or to
 * modtrail's API (module.*, sumdb.*, artifact.*, artifactory.*, proxy.*, user.login, api.*).
 */
export function isDeviceConfigRecord(record: AuditRecord): boolean {
  const area = record.event.action.split('.', 1)[0];
  return area === 'goenv' || area === 'registry';
}

export function toOcsf(record: AuditRecord, options: OcsfOptions = {}): OcsfRecordEvent {
  return isDeviceConfigRecord(record) ? toDeviceConfigStateChange(record, options) : toApiActivity(record, options);
}

export function alertToOcsf(alert: Alert, options: OcsfOptions = {}): OcsfDetectionFinding {
  const recordEvent = toOcsf(alert.record, options);
  return toDetectionFinding(alert, recordEvent, options);
}
