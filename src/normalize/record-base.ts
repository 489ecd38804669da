// The part of every audit record that does not depend on the source format, shared by all parsers.
import type { ParseContext } from '../core/component.js';
import { ecsVersion, type AuditRecord } from '../core/record.js';
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

/** The observer with its name only when the envelope named it, so records carry no empty fields. */
export function observerOf(
  base: Omit<AuditRecord['observer'], 'name'>,
  context: ParseContext,
): AuditRecord['observer'] {
  const observer: AuditRecord['observer'] = Object.assign({}, base);
  if (context.observerName !== undefined) observer.name = context.observerName;
  return observer;
}
