// Nexus Repository 3 request.log lines → audit records: module downloads through Go proxy and group
// repositories, deployments and deletions, and the requests to Nexus's own REST API.
import type { ParseContext, ParseResult, Parser } from '../../core/component.js';
import type { AuditRecord, EventOutcome } from '../../core/record.js';
import { beforeQuery, readProxyPath, type ProxyRequest } from '../goproxy-path/goproxy-path.js';
import { finishRecord, httpFacts, observerOf, proxyFacts, startRecord, type EventFields } from '../record-base.js';
import { sourceOf } from '../source-address.js';
import { readAccessLine, type NexusRequestEntry } from './access-line.js';

const nanosPerMilli = 1_000_000;
const absoluteUrlStart = /^https?:\/\/[^/?#]*/i;

export const nexusRequestParser: Parser = {
  format: 'nexus-request',
  parse(raw: string, context: ParseContext): ParseResult {
    if (raw.trim() === '') return { ok: false, rejection: { code: 'parse.empty', reason: 'empty line' } };
    const read = readAccessLine(raw);
    if (!read.ok) return read;
    return { ok: true, record: requestRecord(raw, context, read.entry) };
  },
};

// The record is assembled in place with assignments rather than `...(cond ? {} : {...})` spreads: the members and
// their order are the same, without the throwaway objects and V8's slow path for a spread followed by more keys.
function requestRecord(raw: string, context: ParseContext, entry: NexusRequestEntry): AuditRecord {
  const path = pathOf(entry.target);
  const request = readProxyPath(path);
  const action = actionOf(entry.method, request);
  const event: EventFields = {
    kind: 'event',
    category: ['web', 'package'],
    type: [typeOf(action)],
    action,
    outcome: outcomeOf(entry.status),
    dataset: 'nexus.request',
    module: 'nexus',
  };
  const duration = entry.elapsedMs === undefined ? undefined : entry.elapsedMs * nanosPerMilli;
  // An elapsed time too large to hold in nanoseconds is left out rather than rounded.
  if (duration !== undefined && Number.isSafeInteger(duration)) event.duration = duration;
  const record = startRecord(entry.time, observerOf({ vendor: 'Sonatype', product: 'Nexus Repository', type: 'proxy' }, context));
  const source = sourceOf(entry.clientHost);
  if (source !== undefined) record.source = source;
  if (entry.user !== undefined) record.user = { name: entry.user };
  record.http = httpFacts(entry.method, entry.requestBytes, entry.status, entry.bytesSent);
  record.url = { path, original: entry.target };
  if (entry.userAgent !== undefined) record.user_agent = { original: entry.userAgent };
  return finishRecord(record, raw, context, event, proxyFacts(record, request));
}

/** The path of a request target: an absolute URL loses its scheme and authority, any target its query. */
function pathOf(target: string): string {
  // An origin-form target ("/…"), the usual one, cannot start with a scheme: the pattern need not run.
  const local = target.charCodeAt(0) === 0x2f ? target : target.replace(absoluteUrlStart, '');
  const path = beforeQuery(local);
  return path === '' ? '/' : path;
}

/** Writes into a repository are deployments and deletions, whatever the path would mean to a reader. */
function actionOf(method: string, request: Readonly<ProxyRequest>): string {
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
