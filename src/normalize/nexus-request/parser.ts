// Nexus Repository 3 request.log lines → audit records: module downloads through Go proxy and group
// repositories, deployments and deletions, and the requests to Nexus's own REST API.
import type { ParseContext, ParseResult, Parser } from '../../core/component.js';
import type { AuditRecord, EventOutcome } from '../../core/record.js';
import { parseProxyPath, type ProxyRequest } from '../goproxy-path/goproxy-path.js';
import { buildRecord, observerOf } from '../record-base.js';
import { sourceOf } from '../source-address.js';
import { readAccessLine, type NexusRequestEntry } from './access-line.js';

const nanosPerMilli = 1_000_000;

export const nexusRequestParser: Parser = {
  format: 'nexus-request',
  parse(raw: string, context: ParseContext): ParseResult {
    if (raw.trim() === '') return { ok: false, rejection: { code: 'parse.empty', reason: 'empty line' } };
    const read = readAccessLine(raw);
    if (!read.ok) return read;
    return { ok: true, record: requestRecord(raw, context, read.entry) };
  },
};

function requestRecord(raw: string, context: ParseContext, entry: NexusRequestEntry): AuditRecord {
  const path = pathOf(entry.target);
  const request = parseProxyPath(path);
  const action = actionOf(entry.method, request);
  const duration = entry.elapsedMs === undefined ? undefined : entry.elapsedMs * nanosPerMilli;
  return buildRecord(raw, context, entry.time, {
    event: {
      kind: 'event',
      category: ['web', 'package'],
      type: [typeOf(action)],
      action,
      outcome: outcomeOf(entry.status),
      dataset: 'nexus.request',
      module: 'nexus',
      // An elapsed time too large to hold in nanoseconds is left out rather than rounded.
      ...(duration !== undefined && Number.isSafeInteger(duration) ? { duration } : {}),
    },
    observer: observerOf({ vendor: 'Sonatype', product: 'Nexus Repository', type: 'proxy' }, context),
    ...sourceOf(entry.clientHost),
    ...(entry.user === undefined ? {} : { user: { name: entry.user } }),
    http: {
      request: { method: entry.method, ...(entry.requestBytes === undefined ? {} : { bytes: entry.requestBytes }) },
      response: { status_code: entry.status, ...(entry.bytesSent === undefined ? {} : { body: { bytes: entry.bytesSent } }) },
    },
    url: { path, original: entry.target },
    ...(entry.userAgent === undefined ? {} : { user_agent: { original: entry.userAgent } }),
    ...(request.module === undefined
      ? {}
      : { package: { name: request.module, ...(request.version === undefined ? {} : { version: request.version }), type: 'golang' } }),
    modtrail: {
      ...(request.repository === undefined ? {} : { repository: request.repository }),
      ...(request.sumdb === undefined ? {} : { sumdb: request.sumdb }),
      ...(request.pathError === undefined ? {} : { path_error: request.pathError }),
    },
  });
}

/** The path of a request target: an absolute URL loses its scheme and authority, any target its query. */
function pathOf(target: string): string {
  const local = target.replace(/^https?:\/\/[^/?#]*/i, '');
  const path = local.split(/[?#]/, 1)[0] ?? '';
  return path === '' ? '/' : path;
}

/** Writes into a repository are deployments and deletions, whatever the path would mean to a reader. */
function actionOf(method: string, request: ProxyRequest): string {
  if (request.repository === undefined) return request.action;
  const noun = request.module === undefined ? 'artifact' : 'module';
  if (method === 'PUT') return `${noun}.deploy`;
  if (method === 'DELETE') return `${noun}.delete`;
  return request.action;
}

function typeOf(action: string): string {
  if (action.endsWith('.deploy')) return 'change';
  if (action.endsWith('.delete')) return 'deletion';
  return 'access';
}

/** logback writes the client's address, or its host name when Nexus was set to resolve names. */

function outcomeOf(status: number): EventOutcome {
  return status < 400 ? 'success' : 'failure';
}
