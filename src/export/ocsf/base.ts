// What every OCSF event modtrail writes shares: the schema version, the base attributes, and the rule that
// a record field no class maps is kept under `unmapped` by its ECS name, so no field is ever lost silently.
// Target: OCSF 1.3.0 (https://schema.ocsf.io/1.3.0/), the release whose classes and objects are used here.
import type { AuditRecord, EventOutcome } from '../../core/record.js';

/** The OCSF schema version every event declares in metadata.version. */
export const ocsfVersion = '1.3.0';

export interface OcsfOptions {
  /** modtrail's version for metadata.product.version (the caller reads it; the mapping stays pure). */
  productVersion?: string;
}

export interface OcsfProduct {
  name?: string;
  vendor_name: string;
  version?: string;
}

export interface OcsfDevice {
  type_id: number;
  type?: string;
  hostname?: string;
  ip?: string;
  os?: { name: string; type_id: number; type?: string };
  agent_list?: { name?: string; version?: string; uid?: string; type?: string; type_id: number }[];
}

export interface OcsfUser {
  name?: string;
  domain?: string;
  uid?: string;
}

export interface OcsfProcess {
  name?: string;
  pid?: number;
  file?: { name: string; path: string; type_id: number };
}

export interface OcsfActor {
  user?: OcsfUser;
  process?: OcsfProcess;
}

export interface OcsfNetworkEndpoint {
  ip?: string;
  hostname?: string;
  name?: string;
  svc_name?: string;
}

export interface OcsfMetadata {
  version: string;
  product: OcsfProduct;
  uid: string;
  original_time: string;
  log_name?: string;
  log_provider?: string;
  log_level?: string;
  event_code?: string;
  correlation_uid?: string;
  processed_time?: number;
  loggers?: { name?: string; product: OcsfProduct; device?: OcsfDevice }[];
}

/** Attributes of the OCSF base event that every class here carries. */
export interface OcsfBase {
  category_uid: number;
  category_name: string;
  class_uid: number;
  class_name: string;
  activity_id: number;
  activity_name: string;
  type_uid: number;
  type_name: string;
  severity_id: number;
  severity: string;
  status_id: number;
  status: string;
  time: number;
  metadata: OcsfMetadata;
  message?: string;
  raw_data?: string;
  duration?: number;
  unmapped?: Record<string, unknown>;
}

/** OCSF severity_id captions; modtrail's event.severity already uses this 1–5 scale. */
const severityCaptions: Record<number, string> = { 0: 'Unknown', 1: 'Informational', 2: 'Low', 3: 'Medium', 4: 'High', 5: 'Critical' };

/** 1–5 pass through; no severity (a record not yet judged) or one outside the scale is 0 Unknown. */
export function severityOf(severity: number | undefined): { severity_id: number; severity: string } {
  const id = severity !== undefined && Number.isInteger(severity) && severity >= 1 && severity <= 5 ? severity : 0;
  return { severity_id: id, severity: severityCaptions[id] ?? 'Unknown' };
}

/** Base event status_id from ECS event.outcome. */
export function statusOf(outcome: EventOutcome): { status_id: number; status: string } {
  if (outcome === 'success') return { status_id: 1, status: 'Success' };
  if (outcome === 'failure') return { status_id: 2, status: 'Failure' };
  return { status_id: 0, status: 'Unknown' };
}

/** OCSF timestamp_t: milliseconds since the epoch. Record timestamps are validated ISO-8601, so this is a number. */
export const epochMs = (iso: string): number => Date.parse(iso);

/** class_uid, category and activity with their captions, and type_uid = class_uid * 100 + activity_id. */
export function classification(
  category: { uid: number; name: string },
  klass: { uid: number; name: string },
  activity: { id: number; name: string },
): Pick<OcsfBase, 'category_uid' | 'category_name' | 'class_uid' | 'class_name' | 'activity_id' | 'activity_name' | 'type_uid' | 'type_name'> {
  return {
    category_uid: category.uid,
    category_name: category.name,
    class_uid: klass.uid,
    class_name: klass.name,
    activity_id: activity.id,
    activity_name: activity.name,
    type_uid: klass.uid * 100 + activity.id,
    type_name: `${klass.name}: ${activity.name}`,
  };
}

export const modtrailProduct = (options: OcsfOptions): OcsfProduct => ({
  name: 'modtrail',
  vendor_name: 'modtrail',
  ...(options.productVersion === undefined ? {} : { version: options.productVersion }),
});

/** The metadata every record maps to, whatever its class. */
export function recordMetadata(record: AuditRecord, options: OcsfOptions): OcsfMetadata {
  const { event, observer } = record;
  return compact({
    version: ocsfVersion,
    product: modtrailProduct(options),
    uid: event.id,
    original_time: record['@timestamp'],
    log_name: event.dataset,
    log_provider: event.module,
    log_level: record.log?.level,
    event_code: event.action,
    correlation_uid: record.trace?.id,
    processed_time: epochMs(event.ingested),
    // The proxy or agent that reported the event; modtrail itself is metadata.product.
    loggers: [
      compact({
        name: observer.name,
        product: { name: observer.product, vendor_name: observer.vendor ?? 'unknown' },
        device: observer.hostname === undefined ? undefined : { type_id: 0, type: 'Unknown', hostname: observer.hostname },
      }),
    ],
  });
}

/** ECS paths every class maps through the base attributes and metadata above. */
export const baseMappedPaths = [
  '@timestamp',
  'event.id',
  'event.action',
  'event.outcome',
  'event.dataset',
  'event.module',
  'event.ingested',
  'event.original',
  'event.severity',
  'observer.vendor',
  'observer.product',
  'observer.name',
  'observer.hostname',
  'log.level',
  'trace.id',
  'message',
] as const;

/** The base attributes shared by the two record classes. */
export function recordBase(record: AuditRecord, options: OcsfOptions): Omit<OcsfBase, keyof ReturnType<typeof classification>> {
  const durationMs = record.event.duration === undefined ? undefined : Math.round(record.event.duration / 1e6);
  return compact({
    ...severityOf(record.event.severity),
    ...statusOf(record.event.outcome),
    time: epochMs(record['@timestamp']),
    metadata: recordMetadata(record, options),
    message: record.message,
    raw_data: record.event.original,
    duration: durationMs,
  });
}

/** Whether an ECS duration (nanoseconds) survives as OCSF milliseconds without losing digits. */
export const durationIsWholeMs = (record: AuditRecord): boolean => record.event.duration === undefined || record.event.duration % 1e6 === 0;

// Objects whose keys are data (Go setting names), kept whole under unmapped rather than split per key.
const wholeObjects = new Set(['goenv.settings', 'goenv.sources']);

/** Every leaf of the record with its dotted ECS path; arrays and the data-keyed objects count as leaves. */
export function recordLeaves(record: AuditRecord): [string, unknown][] {
  const leaves: [string, unknown][] = [];
  const walk = (value: unknown, path: string): void => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && !wholeObjects.has(path)) {
      for (const [key, child] of Object.entries(value)) walk(child, path === '' ? key : `${path}.${key}`);
    } else if (value !== undefined) {
      leaves.push([path, value]);
    }
  };
  walk(record, '');
  return leaves;
}

/** The record's leaves that the class does not map, by ECS path: OCSF's place for what has no attribute. */
export function unmappedOf(record: AuditRecord, mapped: ReadonlySet<string>): Record<string, unknown> | undefined {
  const unmapped: Record<string, unknown> = {};
  for (const [path, value] of recordLeaves(record)) if (!mapped.has(path)) unmapped[path] = value;
  return Object.keys(unmapped).length === 0 ? undefined : unmapped;
}

const osTypes: Record<string, { name: string; type_id: number }> = {
  windows: { name: 'Windows', type_id: 100 },
  linux: { name: 'Linux', type_id: 200 },
  android: { name: 'Android', type_id: 201 },
  macos: { name: 'macOS', type_id: 300 },
  ios: { name: 'iOS', type_id: 301 },
};

/** Known ECS agent types as OCSF 1.3.0 agent.type_id with its caption; any other is 99 Other, named by the source. */
const agentTypes: Record<string, { type_id: number; type: string }> = {
  'modtrail-agent': { type_id: 8, type: 'Configuration Management' },
  winlogbeat: { type_id: 6, type: 'Log Forwarding' },
};

function agentTypeOf(type: string | undefined): { type_id: number; type: string } {
  if (type === undefined) return { type_id: 0, type: 'Unknown' };
  return agentTypes[type] ?? { type_id: 99, type };
}

/** The developer machine (ECS host, agent) as an OCSF device; type_id 0: a record does not say desktop or laptop. */
export function deviceOf(record: AuditRecord): OcsfDevice | undefined {
  const { host, agent } = record;
  if (!host && !agent) return undefined;
  const os = host?.os?.type === undefined ? undefined : (osTypes[host.os.type] ?? { name: host.os.type, type_id: 99, type: host.os.type });
  return compact({
    type_id: 0,
    type: 'Unknown',
    hostname: host?.name,
    ip: host?.ip?.[0],
    os,
    agent_list: agent
      ? [compact({ name: agent.name, version: agent.version, uid: agent.id, ...agentTypeOf(agent.type) })]
      : undefined,
  });
}

/**
 * The ECS paths deviceOf maps. host.ip is a list and device.ip one address: the first maps, the whole list goes
 * to unmapped when longer. A known agent.type becomes its OCSF caption, so the ECS value stays under unmapped.
 */
export const devicePaths = (record: AuditRecord): string[] => [
  'host.name',
  'host.os.type',
  'agent.name',
  'agent.version',
  'agent.id',
  ...(agentTypeOf(record.agent?.type).type_id === 99 ? ['agent.type'] : []),
  ...((record.host?.ip?.length ?? 0) <= 1 ? ['host.ip'] : []),
];

/** user and process, who and what made the change or the request. */
export function actorOf(record: AuditRecord): OcsfActor {
  const { user, process } = record;
  return compact({
    user: user ? compact({ name: user.name, domain: user.domain, uid: user.id }) : undefined,
    process: process
      ? compact({
          name: process.name,
          pid: process.pid,
          file: { name: process.executable.split(/[\\/]/).pop() || process.executable, path: process.executable, type_id: 1 },
        })
      : undefined,
  });
}

export const actorPaths = ['user.name', 'user.domain', 'user.id', 'process.executable', 'process.pid', 'process.name'] as const;

/** The client: an IP address, or the address as logged (a host name when it reads as one). */
export function sourceEndpointOf(record: AuditRecord): OcsfNetworkEndpoint {
  const { source } = record;
  const address = source?.address;
  const isHostname = address !== undefined && /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(address);
  return compact({ ip: source?.ip, hostname: isHostname ? address : undefined, name: isHostname ? undefined : address });
}

export const sourcePaths = ['source.ip', 'source.address'] as const;

/** A module (and version) as an OCSF resource; OCSF 1.3.0's `package` object is not an attribute of these classes. */
export function moduleResourceOf(record: AuditRecord): { uid: string; name: string; version?: string; type: string } | undefined {
  const pkg = record.package;
  if (!pkg) return undefined;
  return compact({ uid: pkg.version === undefined ? pkg.name : `${pkg.name}@${pkg.version}`, name: pkg.name, version: pkg.version, type: pkg.type });
}

export const packagePaths = ['package.name', 'package.version', 'package.type'] as const;

/** A copy without undefined members, so the JSON has no empty keys and tests compare exactly. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
