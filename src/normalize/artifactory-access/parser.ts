// JFrog Artifactory artifactory-access.log lines (7.x and 6.x) → audit records: every accepted or denied download,
// deploy, delete and login, with the verdict kept verbatim and Go module files named by module and version.
import type { ParseContext, ParseResult, Parser } from '../../core/component.js';
import type { AuditRecord } from '../../core/record.js';
import { finishRecord, observerOf, startRecord, type EventFields, type ModtrailFields } from '../record-base.js';
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

// The record is assembled in place with assignments rather than `...(cond ? {} : {...})` spreads: the members and
// their order are the same, without the throwaway objects and V8's slow path for a spread followed by more keys.
function accessRecord(raw: string, context: ParseContext, line: AccessLine): AuditRecord {
  const { action, go } = accessAction(line.verb, line.path);
  const login = line.verb === 'LOGIN';
  const verdict = line.accepted ? 'allowed' : 'denied';
  const event: EventFields = {
    kind: 'event',
    category: [login ? 'authentication' : 'package'],
    type: login ? ['access', verdict, 'start'] : ['access', verdict],
    action,
    outcome: line.accepted ? 'success' : 'failure',
    dataset: 'artifactory.access',
    module: 'artifactory',
  };
  const record = startRecord(line.time, observerOf({ vendor: 'JFrog', product: 'Artifactory', type: 'proxy' }, context));
  record.user = { name: line.user };
  const source = sourceOf(line.address);
  if (source !== undefined) record.source = source;
  if (line.traceId !== undefined) record.trace = { id: line.traceId };
  // The repository path (or the system message) as logged: the only name a non-Go artifact has here.
  if (line.target !== '') record.message = line.target;
  if (go?.module !== undefined) {
    record.package =
      go.version === undefined ? { name: go.module, type: 'golang' } : { name: go.module, version: go.version, type: 'golang' };
  }
  const modtrail: ModtrailFields = { source_action: line.verdict };
  if (line.repository !== undefined) modtrail.repository = line.repository;
  if (go?.sumdb !== undefined) modtrail.sumdb = go.sumdb;
  if (go?.pathError !== undefined) modtrail.path_error = go.pathError;
  return finishRecord(record, raw, context, event, modtrail);
}
