// JFrog Artifactory 7.x artifactory-request.log lines → audit records: every HTTP request Artifactory served,
// Go module fetches through /api/go/<repo>/ named by module and version, deploys and deletes flagged as such.
import type { ParseContext, ParseResult, Parser } from '../../core/component.js';
import type { AuditRecord } from '../../core/record.js';
import { buildRecord, observerOf } from '../record-base.js';
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

function requestRecord(raw: string, context: ParseContext, line: RequestLine): AuditRecord {
  const request = classifyRequest(line.method, line.url);
  const path = line.url.split(/[?#]/, 1)[0] ?? '';
  return buildRecord(raw, context, line.time, {
    event: {
      kind: 'event',
      category: request.go ? ['web', 'package'] : ['web'],
      type: ['access'],
      action: request.action,
      outcome: line.status < 400 ? 'success' : 'failure',
      dataset: 'artifactory.request',
      module: 'artifactory',
      ...(line.durationMs === undefined ? {} : { duration: line.durationMs * 1_000_000 }),
    },
    observer: observerOf({ vendor: 'JFrog', product: 'Artifactory', type: 'proxy' }, context),
    // "anonymous" and "non_authenticated_user" stay: who Artifactory took the caller for is evidence.
    ...(line.username === '' ? {} : { user: { name: line.username } }),
    ...sourceOf(line.remoteAddress),
    http: {
      request: { method: line.method, ...(line.requestBytes === undefined ? {} : { bytes: line.requestBytes }) },
      response: { status_code: line.status, ...(line.responseBytes === undefined ? {} : { body: { bytes: line.responseBytes } }) },
    },
    // JFrog documents every column as possibly empty; a record has no url rather than an empty path.
    ...(path === '' ? {} : { url: { path, original: line.url } }),
    ...(line.userAgent === '' ? {} : { user_agent: { original: line.userAgent } }),
    ...(line.traceId === '' ? {} : { trace: { id: line.traceId } }),
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

/** source.ip only for an address the store can index as one (no IPv6 zone); anything else is kept as text. */
