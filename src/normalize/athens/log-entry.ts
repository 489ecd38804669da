// One Athens log line, whatever shape it was written in, reduced to what the parser needs.
import type { Rejection } from '../../core/component.js';

export interface AthensEntry {
  time: Date;
  /** Lower case, e.g. "info", "warning" (logrus), "warn" (slog); absent when the line had none. */
  level?: string;
  message: string;
  /** Every field of the line, the message, level and time included; JSON values keep their JSON types. */
  fields: EntryFields;
}

/** Read access to a line's fields: a Map for text lines, the parsed object itself for JSON lines. */
export interface EntryFields {
  get(key: string): unknown;
}

/** A JSON line's fields, read straight from the parsed object rather than copied into a Map. */
export class JsonFields implements EntryFields {
  readonly #object: Readonly<Record<string, unknown>>;

  constructor(object: Readonly<Record<string, unknown>>) {
    this.#object = object;
  }

  get(key: string): unknown {
    // Own keys only, as Object.entries would have given: "constructor" or "toString" are not fields of the line.
    return Object.hasOwn(this.#object, key) ? this.#object[key] : undefined;
  }
}

export type EntryResult = { ok: true; entry: AthensEntry } | { ok: false; rejection: Rejection };

export const rejectEntry = (code: 'parse.malformed' | 'parse.bad_timestamp', reason: string): EntryResult => ({
  ok: false,
  rejection: { code, reason },
});

/** A level as lower-case text, or undefined when the line carried none usable. */
export function levelOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const level = value.trim().toLowerCase();
  return level === '' ? undefined : level;
}
