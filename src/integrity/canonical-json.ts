// RFC 8785 JSON Canonicalization Scheme (JCS): the one byte form that record hashes and seals are computed over.

/** A value that has a canonical form: what JSON.parse can return, plus `undefined` members (omitted). */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue | undefined };

/** Thrown for a value that is not JSON data; `path` says where (`$`, `$.event.hash`, `$.numbers[2]`). */
export class CanonicalJsonError extends Error {
  readonly path: string;

  constructor(path: string, problem: string) {
    super(`canonical JSON: ${problem} at ${path}`);
    this.name = 'CanonicalJsonError';
    this.path = path;
  }
}

/**
 * The RFC 8785 canonical form of a value: members sorted by the UTF-16 code units of their names, no whitespace,
 * strings escaped as JSON.stringify does, numbers as Number.prototype.toString (-0 is 0), `undefined` members
 * omitted, arrays in order. Throws CanonicalJsonError for anything else: NaN and the infinities, bigint, functions,
 * symbols, `undefined` outside an object member, lone surrogates (I-JSON, RFC 8785 section 3.1), objects that are
 * not plain (Date, Map, Buffer…) and cycles.
 */
export function canonicalize(value: unknown): string {
  return serialize(value, '$', new Set());
}

/** The canonical form as UTF-8 bytes, which is what gets hashed or signed. */
export const canonicalBytes = (value: unknown): Uint8Array => new TextEncoder().encode(canonicalize(value));

function serialize(value: unknown, path: string, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return serializeString(value, path);
    case 'number':
      return serializeNumber(value, path);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return serializeContainer(value, path, ancestors);
    default:
      // bigint, function, symbol, undefined: none of them is JSON data.
      throw new CanonicalJsonError(path, `${typeof value} is not JSON data`);
  }
}

function serializeContainer(value: object, path: string, ancestors: Set<object>): string {
  if (ancestors.has(value)) throw new CanonicalJsonError(path, 'cycle');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      // Holes and undefined elements are not data here (JSON.stringify would silently turn them into null).
      const items: string[] = [];
      for (let index = 0; index < value.length; index++) {
        const itemPath = `${path}[${index}]`;
        if (!(index in value)) throw new CanonicalJsonError(itemPath, 'sparse array hole');
        items.push(serialize(value[index], itemPath, ancestors));
      }
      return `[${items.join(',')}]`;
    }
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      throw new CanonicalJsonError(path, `${name} is not a plain object`);
    }
    if (Object.getOwnPropertySymbols(value).length > 0) throw new CanonicalJsonError(path, 'symbol-keyed member');
    const record = value as Record<string, unknown>;
    // Default sort compares UTF-16 code units, which is exactly the order RFC 8785 section 3.2.3 asks for.
    const names = Object.keys(record).sort();
    const members: string[] = [];
    for (const name of names) {
      const member = record[name];
      if (member === undefined) continue;
      const memberPath = `${path}${/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`}`;
      members.push(`${serializeString(name, memberPath)}:${serialize(member, memberPath, ancestors)}`);
    }
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function serializeString(text: string, path: string): string {
  if (loneSurrogate.test(text)) throw new CanonicalJsonError(path, 'lone surrogate in a string');
  // ECMAScript JSON.stringify escaping is what RFC 8785 section 3.2.2.2 prescribes.
  return JSON.stringify(text);
}

function serializeNumber(number: number, path: string): string {
  if (!Number.isFinite(number)) throw new CanonicalJsonError(path, `${String(number)} is not a JSON number`);
  // Number.prototype.toString is the RFC 8785 section 3.2.2.3 serialisation; it already writes -0 as "0".
  return Object.is(number, -0) ? '0' : String(number);
}
