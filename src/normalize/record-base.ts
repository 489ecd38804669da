// The part of every audit record that does not depend on the source format, shared by all parsers.
import type { ParseContext } from '../core/component.js';
import { ecsVersion, type AuditRecord } from '../core/record.js';
import { eventId } from './event-id.js';

/** What a parser decides about the event; id, ingestion time and the original text are filled in here. */
export type EventFields = Omit<AuditRecord['event'], 'id' | 'ingested' | 'original'>;

/** A parser's share of the record: everything but the skeleton. */
export type RecordFields = Omit<AuditRecord, '@timestamp' | 'ecs' | 'event'> & { event: EventFields };

/** Assembles a record from a parser's fields, the raw text unchanged, and where that text came from. */
export function buildRecord(raw: string, context: ParseContext, timestamp: Date, fields: RecordFields): AuditRecord {
  const { event, modtrail, ...rest } = fields;
  return {
    '@timestamp': timestamp.toISOString(),
    ecs: { version: ecsVersion },
    ...rest,
    event: { ...event, id: eventId(context.origin, raw), ingested: context.ingestedAt.toISOString(), original: raw },
    modtrail: { ...modtrail, origin: { ...context.origin } },
  };
}

/** The observer with its name only when the envelope named it, so records carry no empty fields. */
export function observerOf(
  base: Omit<AuditRecord['observer'], 'name'>,
  context: ParseContext,
): AuditRecord['observer'] {
  return context.observerName === undefined ? { ...base } : { ...base, name: context.observerName };
}
