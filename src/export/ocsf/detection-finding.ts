// OCSF 1.3.0 Detection Finding (class 2004, category 2 Findings): an alert raised by modtrail's policy rules.
// The finding carries the evidence that matters for triage and points at the record's own OCSF event
// (finding_info.related_events) for everything else, so a record is exported in full once, not per alert.
import type { Alert } from '../../core/component.js';
import {
  actorOf,
  classification,
  compact,
  deviceOf,
  epochMs,
  modtrailProduct,
  moduleResourceOf,
  severityOf,
  sourceEndpointOf,
  type OcsfActor,
  type OcsfBase,
  type OcsfDevice,
  type OcsfNetworkEndpoint,
  type OcsfOptions,
  ocsfVersion,
} from './base.js';

export const detectionFindingClass = { uid: 2004, name: 'Detection Finding' } as const;
const findings = { uid: 2, name: 'Findings' } as const;

interface OcsfAnalytic {
  uid: string;
  name?: string;
  type_id: number;
  type: string;
  category: string;
  version: string;
}

export interface OcsfDetectionFinding extends OcsfBase {
  class_uid: 2004;
  category_uid: 2;
  finding_info: {
    uid: string;
    title: string;
    desc: string;
    types: string[];
    analytic: OcsfAnalytic;
    related_analytics?: OcsfAnalytic[];
    data_sources: string[];
    created_time: number;
    first_seen_time: number;
    last_seen_time: number;
    related_events: { uid: string; type_uid: number; type_name: string }[];
  };
  device?: OcsfDevice;
  resources?: { uid?: string; name: string; version?: string; type: string; data?: Record<string, unknown> }[];
  evidences: {
    actor?: OcsfActor;
    src_endpoint?: OcsfNetworkEndpoint;
    device?: OcsfDevice;
    api?: { operation: string; request?: { uid: string } };
    url?: { path: string };
    data: Record<string, unknown>;
  }[];
  risk_score?: number;
}

/** The OCSF event the alerted record became, so the finding can point at it. */
export interface RelatedRecordEvent {
  class_uid: number;
  type_uid: number;
  type_name: string;
}

const nonEmpty = <T extends object>(value: T): T | undefined => (Object.keys(value).length === 0 ? undefined : value);

/** Every matched rule is an analytic of type 1 Rule; the first is finding_info.analytic, the rest related. */
function analyticsOf(alert: Alert): OcsfAnalytic[] {
  return alert.rule.id.map((uid, index) =>
    compact({ uid, name: alert.rule.name[index], type_id: 1, type: 'Rule', category: 'modtrail', version: alert.rule.version }),
  );
}

/** What was affected: the module (and version), or the Go setting on the machine. */
function resourcesOf(alert: Alert): OcsfDetectionFinding['resources'] {
  const { record } = alert;
  const module = moduleResourceOf(record);
  if (module) return [module];
  const goenv = record.goenv;
  if (goenv?.name) {
    return [{ name: goenv.name, type: 'Go setting', data: compact({ value: goenv.value, previous_value: goenv.previous_value, scope: goenv.scope, mechanism: goenv.mechanism, managed_by: goenv.managed_by }) }];
  }
  if (goenv?.settings) return [{ name: 'go env', type: 'Go settings', data: compact({ settings: goenv.settings, sources: goenv.sources, scope: goenv.scope }) }];
  return undefined;
}

/** One line a person reads first: what was done, to what, by whom, where. */
function describe(alert: Alert): string {
  const { record } = alert;
  const target = record.package ? ` ${record.package.name}${record.package.version ? `@${record.package.version}` : ''}` : record.goenv?.name ? ` ${record.goenv.name}=${record.goenv.value ?? '(unset)'}` : '';
  const who = record.user ? ` by ${record.user.name}` : '';
  const where = record.host ? ` on ${record.host.name}` : record.observer.name ? ` via ${record.observer.name}` : ` via ${record.observer.product}`;
  return `${record.event.action}${target}${who}${where} (${record.event.outcome})`;
}

export function toDetectionFinding(alert: Alert, recordEvent: RelatedRecordEvent, options: OcsfOptions = {}): OcsfDetectionFinding {
  const { record } = alert;
  const time = epochMs(alert['@timestamp']);
  const recordTime = epochMs(record['@timestamp']);
  const [analytic, ...related] = analyticsOf(alert);
  const device = deviceOf(record);
  const desc = describe(alert);
  const evidence = compact({
    actor: nonEmpty(actorOf(record)),
    src_endpoint: nonEmpty(sourceEndpointOf(record)),
    device,
    api: recordEvent.class_uid === 6003 ? compact({ operation: record.event.action, request: record.trace ? { uid: record.trace.id } : undefined }) : undefined,
    url: record.url ? { path: record.url.path } : undefined,
    data: { 'event.id': record.event.id, 'event.action': record.event.action, 'event.outcome': record.event.outcome },
  });
  return compact({
    ...classification(findings, detectionFindingClass, { id: 1, name: 'Create' }),
    class_uid: detectionFindingClass.uid,
    category_uid: findings.uid,
    ...severityOf(alert.severity),
    // A finding's status is its workflow state: modtrail raises it, so it is 1 New.
    status_id: 1,
    status: 'New',
    time,
    metadata: compact({
      version: ocsfVersion,
      product: modtrailProduct(options),
      uid: alert.id,
      original_time: alert['@timestamp'],
      log_name: record.event.dataset,
      event_code: 'alert',
      // Alerts about the same problem share the fingerprint (module, user, host, rules), so it correlates them.
      correlation_uid: alert.fingerprint,
    }),
    message: `${alert.rule.name.join('; ')}: ${desc}`,
    raw_data: record.event.original,
    finding_info: compact({
      uid: alert.id,
      title: alert.rule.name.join('; ') || alert.rule.id.join('; '),
      desc,
      types: [...alert.rule.id],
      analytic: analytic ?? { uid: 'none', type_id: 0, type: 'Unknown', category: 'modtrail', version: alert.rule.version },
      related_analytics: related.length === 0 ? undefined : related,
      data_sources: [record.event.dataset],
      created_time: time,
      first_seen_time: recordTime,
      last_seen_time: recordTime,
      related_events: [{ uid: record.event.id, type_uid: recordEvent.type_uid, type_name: recordEvent.type_name }],
    }),
    device,
    resources: resourcesOf(alert),
    evidences: [evidence],
    risk_score: record.event.risk_score === undefined ? undefined : Math.round(record.event.risk_score),
  });
}
