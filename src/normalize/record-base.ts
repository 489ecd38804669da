// The part of every audit record that does not depend on the source format, shared by all parsers.
import type { ParseContext } from '../core/component.js';
import { ecsVersion, type AuditRecord } from '../core/record.js';
import type { ProxyRequest } from './goproxy-path/goproxy-path.js';
import { eventId } from './event-id.js';
import { isoTimestamp } from './iso-time.js';

/** What a parser decides about the event; id, ingestion time and the original text are filled in here. */
export type EventFields = Omit<AuditRecord['event'], 'id' | 'ingested' | 'original'>;

/** A parser's share of the record: everything but the skeleton. */
export type RecordFields = Omit<AuditRecord, '@timestamp' | 'ecs' | 'event'> & { event: EventFields };

/** Assembles a record from a parser's fields, the raw text unchanged, and where that text came from. */
export function buildRecord(raw: string, context: ParseContext, timestamp: Date, fields: RecordFields): AuditRecord {
  // The keys and their order are those of `{ '@timestamp', ecs, ...rest, event, modtrail }`, built by assignment:
  // rest syntax, `{ ...a, b }`, and adding keys to a `{ ...a }` copy are all several times slower in V8.
  const record: Record<string, unknown> = { '@timestamp': isoTimestamp(timestamp), ecs: { version: ecsVersion } };
  for (const key in fields) {
    if (key !== 'event' && key !== 'modtrail' && Object.hasOwn(fields, key)) record[key] = fields[key as keyof RecordFields];
  }
  const origin = context.origin;
  const event: Record<string, unknown> = Object.assign({}, fields.event);
  event.id = eventId(origin, raw);
  event.ingested = isoString(context.ingestedAt);
  event.original = raw;
  record.event = event;
  const modtrail: Record<string, unknown> = Object.assign({}, fields.modtrail);
  modtrail.origin = { ...origin };
  record.modtrail = modtrail;
  return record as unknown as AuditRecord;
}

/** A record being assembled: its first members are set; the parser adds its own in the order they should appear. */
export type RecordDraft = Pick<AuditRecord, '@timestamp' | 'ecs' | 'observer'> &
  Partial<Omit<AuditRecord, '@timestamp' | 'ecs' | 'observer' | 'event' | 'modtrail'>>;

/** The modtrail facts a parser contributes; the origin is filled in by finishRecord. */
export type ModtrailFields = Omit<NonNullable<AuditRecord['modtrail']>, 'origin'>;

/**
 * The start of a record that a parser assembles in place, for the formats where every microsecond counts: the
 * members come out in the same order as from buildRecord, without copying the parser's fields a second time.
 */
export function startRecord(timestamp: Date, observer: AuditRecord['observer']): RecordDraft {
  return { '@timestamp': isoTimestamp(timestamp), ecs: { version: ecsVersion }, observer };
}

/**
 * Completes a draft: `event` gains its id, ingestion time and the original text, `modtrail` its origin. Both must be
 * objects the parser made for this record alone, since they become the record's own members.
 */
export function finishRecord(
  draft: RecordDraft,
  raw: string,
  context: ParseContext,
  event: EventFields,
  modtrail: ModtrailFields = {},
): AuditRecord {
  const origin = context.origin;
  // The parser's event becomes the record's, so the three skeleton members are added to it rather than to a copy.
  const fullEvent = event as AuditRecord['event'];
  fullEvent.id = eventId(origin, raw);
  fullEvent.ingested = isoString(context.ingestedAt);
  fullEvent.original = raw;
  const record = draft as AuditRecord;
  record.event = fullEvent;
  const fullModtrail: NonNullable<AuditRecord['modtrail']> = modtrail;
  fullModtrail.origin = { ...origin };
  record.modtrail = fullModtrail;
  return record;
}

/** What a Go proxy request path tells about a record: its package (set on the draft), and the modtrail facts returned. */
export function proxyFacts(draft: RecordDraft, request: Readonly<Pick<ProxyRequest, 'module' | 'version' | 'repository' | 'sumdb' | 'pathError'>>): ModtrailFields {
  if (request.module !== undefined) {
    draft.package =
      request.version === undefined ? { name: request.module, type: 'golang' } : { name: request.module, version: request.version, type: 'golang' };
  }
  const modtrail: ModtrailFields = {};
  if (request.repository !== undefined) modtrail.repository = request.repository;
  if (request.sumdb !== undefined) modtrail.sumdb = request.sumdb;
  if (request.pathError !== undefined) modtrail.path_error = request.pathError;
  return modtrail;
}

// Every event of a batch shares one ingestion time: remember the last conversion rather than repeat it per record.
let lastIngestedMs = Number.NaN;
let lastIngestedIso = '';

function isoString(date: Date): string {
  const ms = date.getTime();
  // NaN never equals itself, so an invalid date still reaches toISOString and throws as it always did.
  if (ms !== lastIngestedMs) {
    lastIngestedIso = date.toISOString();
    lastIngestedMs = ms;
  }
  return lastIngestedIso;
}

/** ECS `http` of one proxied request: sizes only where the log gave them, so a missing column is absent, not 0. */
export function httpFacts(method: string, requestBytes: number | undefined, status: number, responseBytes: number | undefined): NonNullable<AuditRecord['http']> {
  return {
    request: requestBytes === undefined ? { method } : { method, bytes: requestBytes },
    response: responseBytes === undefined ? { status_code: status } : { status_code: status, body: { bytes: responseBytes } },
  };
}

/**
 * The observer with its name only when the envelope named it, so records carry no empty fields. `base` must be a
 * fresh object (every caller writes a literal): it becomes the record's member, named in place rather than copied.
 */
export function observerOf(
  base: Omit<AuditRecord['observer'], 'name'>,
  context: ParseContext,
): AuditRecord['observer'] {
  const observer: AuditRecord['observer'] = base;
  if (context.observerName !== undefined) observer.name = context.observerName;
  return observer;
}
