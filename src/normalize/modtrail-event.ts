// modtrail's own events (API use, index lifecycle) share one envelope: a JSON object with a schema and an RFC 3339 time.
import type { z } from 'zod';
import type { ParseContext, Parser, SourceFormat } from '../core/component.js';
import { buildRecord, type RecordFields } from './record-base.js';
import { parseRfc3339 } from './rfc3339.js';

/** A parser for one of modtrail's own JSON event schemas: validated by `schema`, mapped by `fields`. */
export function modtrailEventParser<T extends { time: string }>(
  format: SourceFormat,
  schemaName: string,
  schema: z.ZodType<T>,
  fields: (event: T, context: ParseContext) => RecordFields,
): Parser {
  return {
    format,
    parse(raw, context) {
      if (raw.trim() === '') return { ok: false, rejection: { code: 'parse.empty', reason: 'empty message' } };
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        return { ok: false, rejection: { code: 'parse.malformed', reason: 'not JSON' } };
      }
      const result = schema.safeParse(json);
      if (!result.success) {
        const issue = result.error.issues[0];
        const reason = `${issue?.path.join('.') || '(event)'}: ${issue?.message ?? 'invalid'}`;
        return { ok: false, rejection: { code: 'parse.malformed', reason: `not a ${schemaName} event: ${reason}` } };
      }
      const event = result.data;
      const time = parseRfc3339(event.time);
      if (time === undefined) return { ok: false, rejection: { code: 'parse.bad_timestamp', reason: 'time: not an RFC 3339 time' } };
      return { ok: true, record: buildRecord(raw, context, time, fields(event, context)) };
    },
  };
}
