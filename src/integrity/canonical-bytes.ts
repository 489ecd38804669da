// RFC 8785 canonical JSON written straight into one reused buffer as UTF-8: the quick path for records and seals.
// String building left about 14 KB of garbage per record; this leaves next to none. Anything unusual is refused,
// and the exact serializer in canonical-json.ts decides (it serializes the value or names the error's path).

/** Thrown when the quick path meets anything but plain JSON data it can write as is. */
export const refused = Symbol('canonical bytes: refused');

/** Deeper than any record or seal: past it the exact path (which tracks ancestors) tells a cycle from depth. */
const maxDepth = 64;

/** `"name":` as UTF-8, for member names seen before (they recur in every record), up to a bound. */
const nameBytes = new Map<string, Buffer>();
const maxNames = 4096;

export class CanonicalBytesWriter {
  private buffer: Buffer;
  length = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  /** What was written since the last reset: a view, valid until the next write. */
  get bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  reset(): void {
    this.length = 0;
    // A seal grows the buffer to megabytes: the records after it do not need that much kept.
    if (this.buffer.length > 1024 * 1024) this.buffer = Buffer.allocUnsafe(64 * 1024);
  }

  /** Writes characters below U+0080 as they are (punctuation, a hex hash). */
  ascii(text: string): void {
    this.ensure(text.length);
    const buffer = this.buffer;
    let at = this.length;
    for (let index = 0; index < text.length; index++) buffer[at++] = text.charCodeAt(index);
    this.length = at;
  }

  /** Writes `,"name":value` (no comma when first); false, writing nothing, when the value is undefined (omitted). */
  member(name: string, value: unknown, first: boolean): boolean {
    if (value === undefined) return false;
    if (!first) this.ascii(',');
    this.name(name);
    this.value(value, 0);
    return true;
  }

  /** Writes a value's canonical form; throws `refused` at anything but plain, finite, well-formed JSON data. */
  value(value: unknown, depth = 0): void {
    switch (typeof value) {
      case 'string':
        return this.string(value);
      case 'number':
        if (!Number.isFinite(value)) throw refused;
        // Number.prototype.toString is RFC 8785's number form, and already writes -0 as "0".
        return this.ascii(String(value));
      case 'boolean':
        return this.ascii(value ? 'true' : 'false');
      case 'object':
        if (value === null) return this.ascii('null');
        if (depth === maxDepth) throw refused;
        if (Array.isArray(value)) return this.array(value, depth);
        return this.object(value, depth);
      default:
        throw refused;
    }
  }

  private array(items: unknown[], depth: number): void {
    this.ascii('[');
    for (let index = 0; index < items.length; index++) {
      if (!(index in items)) throw refused;
      if (index > 0) this.ascii(',');
      this.value(items[index], depth + 1);
    }
    this.ascii(']');
  }

  private object(value: object, depth: number): void {
    const prototype: unknown = Object.getPrototypeOf(value);
    // Symbol-keyed members are left out, as JSON.stringify leaves them out: Object.keys does not list them.
    if (prototype !== Object.prototype && prototype !== null) throw refused;
    const record = value as Record<string, unknown>;
    const names = namesInOrder(record);
    this.ascii('{');
    let first = true;
    for (const name of names) {
      const member = record[name];
      if (member === undefined) continue;
      if (!first) this.ascii(',');
      first = false;
      this.name(name);
      this.value(member, depth + 1);
    }
    this.ascii('}');
  }

  private name(name: string): void {
    let bytes = nameBytes.get(name);
    if (bytes === undefined) {
      const at = this.length;
      this.string(name);
      this.ascii(':');
      bytes = Buffer.from(this.buffer.subarray(at, this.length));
      if (nameBytes.size < maxNames) nameBytes.set(name, bytes);
      return;
    }
    this.ensure(bytes.length);
    const buffer = this.buffer;
    let at = this.length;
    for (let index = 0; index < bytes.length; index++) buffer[at++] = bytes[index]!;
    this.length = at;
  }

  /** Printable ASCII is copied as it is; any other string is escaped by JSON.stringify (RFC 8785 section 3.2.2.2). */
  private string(text: string): void {
    this.ensure(text.length + 2);
    const buffer = this.buffer;
    let at = this.length;
    buffer[at++] = 0x22;
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code < 0x20 || code === 0x22 || code === 0x5c || code > 0x7e) return this.escaped(text);
      buffer[at++] = code;
    }
    buffer[at++] = 0x22;
    this.length = at;
  }

  private escaped(text: string): void {
    const json = JSON.stringify(text);
    // JSON.stringify writes a lone surrogate as \udXXX: I-JSON forbids it, and the exact path says where it is.
    if (json.includes('\\ud') && loneSurrogate.test(text)) throw refused;
    this.ensure(json.length * 3);
    this.length += this.buffer.write(json, this.length, 'utf8');
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}

/** Objects with the same names in the same order (built alike) share one sorted list: a trie over the names. */
interface Shape {
  next: Map<string, Shape>;
  order?: readonly string[];
}
const shapes: Shape = { next: new Map() };
let shapeNodes = 0;
const maxShapeNodes = 4096;

/**
 * An object's own names in code-unit order (RFC 8785 section 3.2.3; the default sort compares UTF-16 code units).
 * Records repeat a few dozen shapes, so each shape is sorted once; sorting every object was the costliest step.
 */
export function namesInOrder(record: Record<string, unknown>): readonly string[] {
  const names = Object.keys(record);
  let sorted = true;
  for (let index = 1; index < names.length; index++) {
    if (names[index - 1]! > names[index]!) {
      sorted = false;
      break;
    }
  }
  if (sorted) return names;
  let shape = shapes;
  for (const name of names) {
    let next = shape.next.get(name);
    if (next === undefined) {
      if (shapeNodes >= maxShapeNodes) return names.sort();
      next = { next: new Map() };
      shape.next.set(name, next);
      shapeNodes++;
    }
    shape = next;
  }
  shape.order ??= [...names].sort();
  return shape.order;
}

/** A lone UTF-16 surrogate, which I-JSON (RFC 8785 section 3.1) forbids. */
export const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** One writer for the whole process, handed out one use at a time (a nested use, a getter's say, gets its own). */
const shared = new CanonicalBytesWriter();
let sharedBusy = false;

/** Runs `write` with a reset writer; what it returns must not keep the writer's bytes (copy them). */
export function withCanonicalWriter<T>(write: (writer: CanonicalBytesWriter) => T): T {
  if (sharedBusy) return write(new CanonicalBytesWriter(1024));
  sharedBusy = true;
  shared.reset();
  try {
    return write(shared);
  } finally {
    sharedBusy = false;
  }
}
