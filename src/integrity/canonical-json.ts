// RFC 8785 JSON Canonicalization Scheme (JCS): the one byte form that record hashes and seals are computed over.
import { loneSurrogate, refused, withCanonicalWriter } from './canonical-bytes.js';

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
 * and symbol-keyed members omitted (as JSON.stringify omits them), arrays in order. Throws CanonicalJsonError for anything else: NaN and the infinities, bigint, functions,
 * symbol values, `undefined` outside an object member, lone surrogates (I-JSON, RFC 8785 section 3.1), objects that are
 * not plain (Date, Map, Buffer…) and cycles.
 */
export function canonicalize(value: unknown): string {
  try {
    return withCanonicalWriter((writer) => {
      writer.value(value);
      return writer.bytes.toString('utf8');
    });
  } catch (error) {
    if (error !== refused) throw error;
    // Anything unusual (an error to report, a cycle, a very deep value) takes the exact path, which names where.
    return serialize(value, [], []);
  }
}

/** The canonical form as UTF-8 bytes, which is what gets hashed or signed. */
export function canonicalBytes(value: unknown): Buffer {
  try {
    return withCanonicalWriter((writer) => {
      writer.value(value);
      return Buffer.from(writer.bytes);
    });
  } catch (error) {
    if (error !== refused) throw error;
    return Buffer.from(serialize(value, [], []), 'utf8');
  }
}

/** Where the serializer is: member names and array indices from the root. Written out only for an error. */
type Path = (string | number)[];

function pathText(path: Path): string {
  let text = '$';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += /^[A-Za-z_$][\w$]*$/.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`;
  }
  return text;
}

function serialize(value: unknown, path: Path, ancestors: object[]): string {
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
      throw new CanonicalJsonError(pathText(path), `${typeof value} is not JSON data`);
  }
}

function serializeContainer(value: object, path: Path, ancestors: object[]): string {
  // The open containers from the root: a few levels deep, so a list is quicker than a set.
  if (ancestors.includes(value)) throw new CanonicalJsonError(pathText(path), 'cycle');
  ancestors.push(value);
  try {
    if (Array.isArray(value)) {
      // Holes and undefined elements are not data here (JSON.stringify would silently turn them into null).
      let text = '[';
      for (let index = 0; index < value.length; index++) {
        path.push(index);
        if (!(index in value)) throw new CanonicalJsonError(pathText(path), 'sparse array hole');
        text += (index === 0 ? '' : ',') + serialize(value[index], path, ancestors);
        path.pop();
      }
      return `${text}]`;
    }
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      throw new CanonicalJsonError(pathText(path), `${name} is not a plain object`);
    }
    const record = value as Record<string, unknown>;
    // Default sort compares UTF-16 code units, which is exactly the order RFC 8785 section 3.2.3 asks for.
    const names = Object.keys(record).sort();
    let text = '{';
    for (const name of names) {
      const member = record[name];
      if (member === undefined) continue;
      path.push(name);
      if (text.length > 1) text += ',';
      text += memberName(name, path);
      text += serialize(member, path, ancestors);
      path.pop();
    }
    return text + '}';
  } finally {
    ancestors.pop();
  }
}

/** Member names recur in every record: their serialized form (with the colon) is kept, up to a bound. */
const memberNames = new Map<string, string>();
const maxMemberNames = 4096;

function memberName(name: string, path: Path): string {
  let text = memberNames.get(name);
  if (text === undefined) {
    text = serializeString(name, path) + ':';
    if (memberNames.size < maxMemberNames) memberNames.set(name, text);
  }
  return text;
}


function serializeString(text: string, path: Path): string {
  // ECMAScript JSON.stringify escaping is what RFC 8785 section 3.2.2.2 prescribes.
  const json = JSON.stringify(text);
  // JSON.stringify writes a lone surrogate as \udXXX, so only then is the slower exact check needed.
  if (json.includes('\\ud') && loneSurrogate.test(text)) throw new CanonicalJsonError(pathText(path), 'lone surrogate in a string');
  return json;
}

function serializeNumber(number: number, path: Path): string {
  if (!Number.isFinite(number)) throw new CanonicalJsonError(pathText(path), `${String(number)} is not a JSON number`);
  // Number.prototype.toString is the RFC 8785 section 3.2.2.3 serialisation; it already writes -0 as "0".
  return Object.is(number, -0) ? '0' : String(number);
}
