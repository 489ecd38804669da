// The key=value fields of Athens's text logs: logrus's dev formatter writes values bare (spaces and all),
// logrus's and slog's text handlers quote a value with Go escapes when it needs quoting.

/** A bare value runs up to the whitespace before the next `key=`, so values with spaces survive. */
const nextKey = /\s+(?=[^\s="]+=)/g;
const keyAt = /([^\s="]+)=/y;

/** The fields of `text`, last key winning; undefined when the text does not begin with `key=`. */
export function parseKeyValues(text: string): Map<string, string> | undefined {
  const fields = new Map<string, string>();
  let pos = skipSpace(text, 0);
  // test() and lastIndex instead of exec(): the same matches, without a match array per key and per value.
  while (pos < text.length) {
    keyAt.lastIndex = pos;
    if (!keyAt.test(text)) return fields.size === 0 ? undefined : fields;
    // The sticky match starts at pos and ends just after the "=".
    const key = text.slice(pos, keyAt.lastIndex - 1);
    pos = keyAt.lastIndex;
    const quoted = text.charAt(pos) === '"' ? unquoteGo(text, pos) : undefined;
    if (quoted && (quoted.end === text.length || /\s/.test(text.charAt(quoted.end)))) {
      fields.set(key, quoted.value);
      pos = skipSpace(text, quoted.end);
      continue;
    }
    nextKey.lastIndex = pos;
    if (nextKey.test(text)) {
      // The match is the whitespace before the next key, so trimming the end leaves the value as it was before it.
      fields.set(key, text.slice(pos, nextKey.lastIndex).trimEnd());
      pos = nextKey.lastIndex;
    } else {
      fields.set(key, text.slice(pos).trimEnd());
      pos = text.length;
    }
  }
  return fields;
}

function skipSpace(text: string, pos: number): number {
  let at = pos;
  while (at < text.length && /\s/.test(text.charAt(at))) at++;
  return at;
}

const simpleEscapes: Readonly<Record<string, string>> = {
  a: '\u0007', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'",
};
const hexDigits: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/** A Go double-quoted string starting at `start` (strconv.Quote's output); undefined when it is not one. */
export function unquoteGo(text: string, start: number): { value: string; end: number } | undefined {
  let value = '';
  let pos = start + 1;
  while (pos < text.length) {
    const c = text.charAt(pos);
    if (c === '"') return { value, end: pos + 1 };
    if (c !== '\\') {
      value += c;
      pos++;
      continue;
    }
    const kind = text.charAt(pos + 1);
    const simple = simpleEscapes[kind];
    if (simple !== undefined) {
      value += simple;
      pos += 2;
      continue;
    }
    const width = hexDigits[kind];
    if (width === undefined) return undefined;
    const hex = text.slice(pos + 2, pos + 2 + width);
    if (!new RegExp(`^[0-9A-Fa-f]{${width}}$`).test(hex)) return undefined;
    const code = Number.parseInt(hex, 16);
    // \xHH above 0x7f is a stray byte of invalid UTF-8, which a string of characters cannot hold.
    value += (kind === 'x' && code > 0x7f) || code > 0x10ffff ? '\ufffd' : String.fromCodePoint(code);
    pos += 2 + width;
  }
  return undefined;
}
