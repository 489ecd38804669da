// JFrog Artifactory artifactory-access.log lines (7.x and 6.x) → audit records: every accepted or denied download,
// deploy, delete and login, with the verdict kept verbatim and Go module files named by module and version.
import type { ParseContext, ParseResult, Parser } from '../../core/component.js';
import type { AuditRecord } from '../../core/record.js';
import { buildRecord, observerOf } from '../record-base.js';
import { sourceOf } from '../source-address.js';
import { accessAction } from './access-action.js';
import { readAccessLine, type AccessLine } from './access-line.js';

export const artifactoryAccessParser: Parser = {
  format: 'artifactory-access',
  parse(raw: string, context: ParseContext): ParseResult {
    if (raw.trim() === '') return { ok: false, rejection: { code: 'parse.empty', reason: 'empty line' } };
    const read = readAccessLine(raw);
    if (!read.ok) return read;
    return { ok: true, record: accessRecord(raw, context, read.line) };
  },
};

function accessRecord(raw: string, context: ParseContext, line: AccessLine): AuditRecord {
  const { action, go } = accessAction(line.verb, line.path);
  const login = line.verb === 'LOGIN';
  return buildRecord(raw, context, line.time, {
    event: {
      kind: 'event',
      category: [login ? 'authentication' : 'package'],
      type: ['access', line.accepted ? 'allowed' : 'denied', ...(login ? ['start'] : [])],
      action,
      outcome: line.accepted ? 'success' : 'failure',
      dataset: 'artifactory.access',
      module: 'artifactory',
    },
    observer: observerOf({ vendor: 'JFrog', product: 'Artifactory', type: 'proxy' }, context),
    user: { name: line.user },
    ...sourceOf(line.address),
    ...(line.traceId === undefined ? {} : { trace: { id: line.traceId } }),
    // The repository path (or the system message) as logged: the only name a non-Go artifact has here.
    ...(line.target === '' ? {} : { message: line.target }),
    ...(go?.module === undefined
      ? {}
      : { package: { name: go.module, ...(go.version === undefined ? {} : { version: go.version }), type: 'golang' } }),
    modtrail: {
      source_action: line.verdict,
      ...(line.repository === undefined ? {} : { repository: line.repository }),
      ...(go?.sumdb === undefined ? {} : { sumdb: go.sumdb }),
      ...(go?.pathError === undefined ? {} : { path_error: go.pathError }),
    },
  });
}

/** source.ip only for an address the store can index as one (no IPv6 zone); anything else is kept as text. */
