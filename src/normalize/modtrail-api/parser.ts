// modtrail's own API use (modtrail.api/v1) → audit records: who asked what, and who was refused.
import { isIP } from 'node:net';
import type { ParseContext, Parser } from '../../core/component.js';
import type { AuditRecord } from '../../core/record.js';
import { modtrailEventParser } from '../modtrail-event.js';
import { observerOf, type RecordFields } from '../record-base.js';
import { apiEventSchema, type ApiEventV1 } from './api-event.js';

export const modtrailApiParser: Parser = modtrailEventParser('modtrail-api', 'modtrail.api/v1', apiEventSchema, fields);

function fields(event: ApiEventV1, context: ParseContext): RecordFields {
  const refused = event.status === 401 || event.status === 403;
  const path = event.url.split('?', 1)[0] || '/';
  const record: RecordFields = {
    event: {
      kind: 'event',
      category: ['api'],
      type: refused ? ['access', 'denied'] : ['access'],
      action: refused ? 'api.refused' : 'api.request',
      outcome: event.status < 400 ? 'success' : 'failure',
      dataset: 'modtrail.api',
      module: 'modtrail',
      duration: Math.round(event.duration_ms * 1e6),
    },
    observer: observerOf({ vendor: 'modtrail', product: 'modtrail', type: 'api' }, context),
    http: { request: { method: event.method }, response: { status_code: event.status } },
    url: { path, original: event.url },
    trace: { id: event.request_id },
    message: `${event.method} ${event.route} ${event.status}${event.principal ? ` (roles: ${event.principal.roles.join(', ') || 'none'})` : ''}${event.refusal ? `: ${event.refusal}` : ''}`,
  };
  if (event.principal) record.user = { name: event.principal.subject, domain: event.principal.issuer };
  const ip = event.client_ip?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  if (ip !== undefined && isIP(ip) !== 0 && !ip.includes('%')) record.source = { ip };
  if (event.user_agent) record.user_agent = { original: event.user_agent };
  return record satisfies Omit<AuditRecord, '@timestamp' | 'ecs' | 'event'> & { event: unknown };
}
