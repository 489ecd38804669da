// OCSF 1.3.0 API Activity (class 6003, category 6 Application Activity): a request to a Go module proxy
// (module and checksum database requests, deploys, admin calls, logins) or to modtrail's own API.
import type { AuditRecord } from '../../core/record.js';
import {
  actorOf,
  actorPaths,
  baseMappedPaths,
  classification,
  compact,
  durationIsWholeMs,
  moduleResourceOf,
  packagePaths,
  recordBase,
  sourceEndpointOf,
  sourcePaths,
  unmappedOf,
  type OcsfActor,
  type OcsfBase,
  type OcsfNetworkEndpoint,
  type OcsfOptions,
} from './base.js';

export const apiActivityClass = { uid: 6003, name: 'API Activity' } as const;
const applicationActivity = { uid: 6, name: 'Application Activity' } as const;

export interface OcsfApiActivity extends OcsfBase {
  class_uid: 6003;
  category_uid: 6;
  actor: OcsfActor;
  api: {
    operation: string;
    request?: { uid: string };
    response?: { code: number };
    service?: { name: string };
  };
  src_endpoint: OcsfNetworkEndpoint;
  dst_endpoint?: OcsfNetworkEndpoint;
  http_request?: {
    http_method?: string;
    length?: number;
    user_agent?: string;
    url?: { path?: string; query_string?: string };
  };
  resources?: { uid: string; name: string; version?: string; type: string }[];
  status_code?: string;
  status_detail?: string;
}

const activities = {
  create: { id: 1, name: 'Create' },
  read: { id: 2, name: 'Read' },
  update: { id: 3, name: 'Update' },
  delete: { id: 4, name: 'Delete' },
} as const;

// Actions that read what a proxy serves, whatever the method (Artifactory's access log has none).
const readActions = /^(module\.(list|latest|info|mod|zip)|sumdb\.|artifact\.download$|proxy\.(health|ui|catalog)$)/;

/** CRUD from the action where it says, else from the HTTP method; anything else is 99 Other, named by the action. */
export function apiActivityOf(record: AuditRecord): { id: number; name: string } {
  const { action } = record.event;
  if (action === 'module.deploy' || action === 'artifact.deploy') return activities.create;
  if (action === 'module.delete' || action === 'artifact.delete') return activities.delete;
  // A process log line is not a request, even when it was logged while one was served.
  if (action === 'proxy.log') return { id: 99, name: action };
  switch (record.http?.request?.method) {
    case 'GET':
    case 'HEAD':
      return activities.read;
    case 'POST':
      return activities.create;
    case 'PUT':
    case 'PATCH':
      return activities.update;
    case 'DELETE':
      return activities.delete;
    case undefined:
      return readActions.test(action) ? activities.read : { id: 99, name: action };
    default:
      return { id: 99, name: action };
  }
}

const queryOf = (original: string | undefined): string | undefined => {
  const at = original?.indexOf('?') ?? -1;
  return original === undefined || at < 0 ? undefined : original.slice(at + 1);
};

export function toApiActivity(record: AuditRecord, options: OcsfOptions = {}): OcsfApiActivity {
  const { http, url, observer, trace } = record;
  const status = http?.response?.status_code;
  const resource = moduleResourceOf(record);
  const method = http?.request?.method;
  const mapped = new Set<string>([
    ...baseMappedPaths,
    ...actorPaths,
    ...sourcePaths,
    ...packagePaths,
    'http.request.method',
    'http.request.bytes',
    // API Activity 1.3.0 has no http_response: the status is api.response.code; body bytes stay under unmapped.
    'http.response.status_code',
    'url.path',
    'user_agent.original',
    'modtrail.source_action',
    ...(durationIsWholeMs(record) ? ['event.duration'] : []),
  ]);
  const request = compact({
    http_method: method,
    length: http?.request?.bytes,
    user_agent: record.user_agent?.original,
    url: url ? compact({ path: url.path, query_string: queryOf(url.original) }) : undefined,
  });
  return compact({
    ...classification(applicationActivity, apiActivityClass, apiActivityOf(record)),
    ...recordBase(record, options),
    class_uid: apiActivityClass.uid,
    category_uid: applicationActivity.uid,
    actor: actorOf(record),
    api: compact({
      operation: record.event.action,
      request: trace ? { uid: trace.id } : undefined,
      response: status === undefined ? undefined : { code: status },
      service: { name: observer.product },
    }),
    src_endpoint: sourceEndpointOf(record),
    dst_endpoint: observer.name === undefined && observer.hostname === undefined ? undefined : compact({ name: observer.name, hostname: observer.hostname, svc_name: observer.product }),
    http_request: Object.keys(request).length === 0 ? undefined : request,
    resources: resource ? [resource] : undefined,
    status_code: status === undefined ? undefined : String(status),
    status_detail: record.modtrail?.source_action,
    unmapped: unmappedOf(record, mapped),
  });
}
