// JFrog Artifactory 7.x artifactory-request.log lines → audit records: every HTTP request Artifactory served,
// Go module fetches through /api/go/<repo>/ named by module and version, deploys and deletes flagged as such.
import type { ParseContext, ParseResult, Parser } from '../../core/component.js';
import type { AuditRecord } from '../../core/record.js';
import { beforeQuery } from '../goproxy-path/goproxy-path.js';
import { finishRecord, httpFacts, observerOf, proxyFacts, startRecord, type EventFields } from '../record-base.js';
import { sourceOf } from '../source-address.js';
import { readRequestLine, type RequestLine } from './request-line.js';
import { classifyRequest } from './request-path.js';

export const artifactoryRequestParser: Parser = {
  format: 'artifactory-request',
  parse(raw: string, context: ParseContext): ParseResult {
    if (raw.trim() === '') return { ok: false, rejection: { code: 'parse.empty', reason: 'empty line' } };
    const read = readRequestLine(raw);
    if (!read.ok) return read;
    return { ok: true, record: requestRecord(raw, context, read.line) };
  },
};

// The record is assembled in place with assignments rather than `...(cond ? {} : {...})` spreads: the members and
// their order are the same, without the throwaway objects and V8's slow path for a spread followed by more keys.
function requestRecord(raw: string, context: ParseContext, line: RequestLine): AuditRecord {
  const request = classifyRequest(line.method, line.url);
  const path = beforeQuery(line.url);
  const event: EventFields = {
    kind: 'event',
    category: request.go ? ['web', 'package'] : ['web'],
    type: ['access'],
    action: request.action,
    outcome: line.status < 400 ? 'success' : 'failure',
    dataset: 'artifactory.request',
    module: 'artifactory',
  };
  if (line.durationMs !== undefined) event.duration = line.durationMs * 1_000_000;
  const record = startRecord(line.time, observerOf({ vendor: 'JFrog', product: 'Artifactory', type: 'proxy' }, context));
  // "anonymous" and "non_authenticated_user" stay: who Artifactory took the caller for is evidence.
  if (line.username !== '') record.user = { name: line.username };
  const source = sourceOf(line.remoteAddress);
  if (source !== undefined) record.source = source;
  record.http = httpFacts(line.method, line.requestBytes, line.status, line.responseBytes);
  // JFrog documents every column as possibly empty; a record has no url rather than an empty path.
  if (path !== '') record.url = { path, original: line.url };
  if (line.userAgent !== '') record.user_agent = { original: line.userAgent };
  if (line.traceId !== '') record.trace = { id: line.traceId };
  return finishRecord(record, raw, context, event, proxyFacts(record, request));
}
