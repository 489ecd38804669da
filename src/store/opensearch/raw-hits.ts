// A search answer's hits with each _source left as the bytes OpenSearch returned: an export writes stored records as
// they are, so parsing and re-serializing every one (most of an export's CPU) is not needed to copy them. The walk
// is over UTF-8 bytes: every byte of a multi-byte character is 0x80 or above, so none is mistaken for JSON syntax.

/** One hit: its _source exactly as returned (the stored JSON, a view into the answer), and the small parts parsed. */
export interface RawHit {
  source: Buffer;
  sort: unknown[];
  /** The value at the `pick` path of the _source, parsed; undefined when there is none. */
  picked: unknown;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

const malformed = (at: number, what: string) => new SyntaxError(`search answer is not the JSON expected at position ${at}: ${what}`);

function skipSpace(text: Buffer, at: number): number {
  let i = at;
  for (let c = text[i]; c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text[++i]);
  return i;
}

/** The position after the string that opens at `at`. */
function stringEnd(text: Buffer, at: number): number {
  const length = text.length;
  for (let i = at + 1; i < length; i++) {
    const c = text[i];
    if (c === BACKSLASH) i++;
    else if (c === QUOTE) return i + 1;
  }
  throw malformed(at, 'unterminated string');
}

/** The position after the JSON value that starts at `at` (no whitespace before it). */
function valueEnd(text: Buffer, at: number): number {
  const first = text[at];
  if (first === QUOTE) return stringEnd(text, at);
  const length = text.length;
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let i = at;
    for (let c = text[i]; i < length && c !== COMMA && c !== CLOSE_BRACE && c !== CLOSE_BRACKET && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09; c = text[++i]);
    if (i === at) throw malformed(at, 'a value was expected');
    return i;
  }
  // One tight loop over the bytes, strings included (most of a record is string): far cheaper than a call per string.
  let depth = 0;
  for (let i = at; i < length; i++) {
    const c = text[i];
    if (c === QUOTE) {
      for (i++; i < length; i++) {
        const inString = text[i];
        if (inString === BACKSLASH) i++;
        else if (inString === QUOTE) break;
      }
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  throw malformed(at, 'unterminated object or array');
}

/** Whether the key written from `start` (its opening quote) to `end` (after its closing quote) is `name`. */
function keyIs(text: Buffer, start: number, end: number, name: Buffer): boolean {
  const length = end - start - 2;
  for (let i = 0; i < length; i++) {
    const c = text[start + 1 + i];
    // A key written with escapes is compared by its meaning, the rare slow way.
    if (c === BACKSLASH) return (JSON.parse(text.toString('utf8', start, end)) as string) === name.toString('utf8');
    if (i >= name.length || c !== name[i]) return false;
  }
  return length === name.length;
}

/**
 * Walks the object at `at`. `visit` gets each member's key (where it is written) and where its value starts, and
 * returns where that value ends when it read it, undefined to have it skipped, or -1 to stop. Returns the position
 * after the object (-1 when stopped), so each byte is walked once.
 */
function walkObject(text: Buffer, at: number, visit: (keyStart: number, keyEnd: number, start: number) => number | undefined): number {
  if (text[at] !== OPEN_BRACE) throw malformed(at, 'an object was expected');
  let i = skipSpace(text, at + 1);
  if (text[i] === CLOSE_BRACE) return i + 1;
  for (;;) {
    if (text[i] !== QUOTE) throw malformed(i, 'a key was expected');
    const keyEnd = stringEnd(text, i);
    const keyStart = i;
    i = skipSpace(text, keyEnd);
    if (text[i] !== COLON) throw malformed(i, '":" was expected');
    const start = skipSpace(text, i + 1);
    const read = visit(keyStart, keyEnd, start);
    if (read === -1) return -1;
    i = skipSpace(text, read ?? valueEnd(text, start));
    const next = text[i];
    if (next === CLOSE_BRACE) return i + 1;
    if (next !== COMMA) throw malformed(i, '"," or "}" was expected');
    i = skipSpace(text, i + 1);
  }
}

/** Walks the array at `at`: `visit` gets where each element starts and returns where it ends. */
function walkArray(text: Buffer, at: number, visit: (start: number) => number): void {
  if (text[at] !== OPEN_BRACKET) throw malformed(at, 'an array was expected');
  let i = skipSpace(text, at + 1);
  if (text[i] === CLOSE_BRACKET) return;
  for (;;) {
    i = skipSpace(text, visit(i));
    const next = text[i];
    if (next === CLOSE_BRACKET) return;
    if (next !== COMMA) throw malformed(i, '"," or "]" was expected');
    i = skipSpace(text, i + 1);
  }
}

/** Where the value of the member `name` of the object at `at` starts; undefined when it has none. */
function memberStart(text: Buffer, at: number, name: Buffer): number | undefined {
  let found: number | undefined;
  walkObject(text, at, (keyStart, keyEnd, start) => {
    if (!keyIs(text, keyStart, keyEnd, name)) return undefined;
    found = start;
    return -1;
  });
  return found;
}

/** Walks the value at `at` once, to its end, parsing the part at `path` (from `depth` on) into `out` on the way. */
function walkPicking(text: Buffer, at: number, path: readonly Buffer[], depth: number, out: { value: unknown }): number {
  if (depth === path.length) {
    const end = valueEnd(text, at);
    out.value = JSON.parse(text.toString('utf8', at, end));
    return end;
  }
  if (text[at] !== OPEN_BRACE) return valueEnd(text, at);
  return walkObject(text, at, (keyStart, keyEnd, start) => (keyIs(text, keyStart, keyEnd, path[depth]!) ? walkPicking(text, start, path, depth + 1, out) : undefined));
}

const names = { hits: Buffer.from('hits'), error: Buffer.from('error'), source: Buffer.from('_source'), sort: Buffer.from('sort') };

/**
 * The hits of a search answer (`hits.hits`), each _source as the exact bytes returned and the value at `pick` inside
 * it parsed. Only the answer's structure is walked, each byte once; a _source is skipped over by its strings and
 * brackets, never parsed whole. Throws SyntaxError on bytes that are not such an answer, and the error OpenSearch
 * reported when the answer is one.
 */
export function rawHits(body: Buffer, pick: readonly string[] = []): RawHit[] {
  const path = pick.map((name) => Buffer.from(name));
  const top = skipSpace(body, 0);
  const outer = memberStart(body, top, names.hits);
  if (outer === undefined) {
    const error = memberStart(body, top, names.error);
    throw error === undefined ? malformed(top, 'no hits') : new Error(`search failed: ${body.toString('utf8', error, Math.min(valueEnd(body, error), error + 500))}`);
  }
  const list = memberStart(body, outer, names.hits);
  if (list === undefined) return [];
  const hits: RawHit[] = [];
  walkArray(body, list, (at) => {
    let source: Buffer | undefined;
    let sort: unknown[] = [];
    const picked = { value: undefined as unknown };
    const end = walkObject(body, at, (keyStart, keyEnd, start) => {
      if (keyIs(body, keyStart, keyEnd, names.source)) {
        const sourceEnd = path.length === 0 ? valueEnd(body, start) : walkPicking(body, start, path, 0, picked);
        source = body.subarray(start, sourceEnd);
        return sourceEnd;
      }
      if (!keyIs(body, keyStart, keyEnd, names.sort)) return undefined;
      const sortEnd = valueEnd(body, start);
      sort = JSON.parse(body.toString('utf8', start, sortEnd)) as unknown[];
      return sortEnd;
    });
    if (source === undefined) throw malformed(at, 'a hit without _source');
    hits.push({ source, sort, picked: picked.value });
    return end;
  });
  return hits;
}
