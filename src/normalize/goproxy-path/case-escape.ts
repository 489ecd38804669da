// The GOPROXY case encoding (golang.org/x/mod/module EscapePath/UnescapePath): "!x" stands for "X",
// so that module paths survive case-insensitive file systems and URLs.
import { checkModulePath, checkVersion } from './module-path.js';

export type EscapeResult = { ok: true; value: string } | { ok: false; error: string };

function escapeString(text: string): EscapeResult {
  for (const c of text) {
    if (c === '!' || c.charCodeAt(0) >= 0x80) return { ok: false, error: `cannot escape ${JSON.stringify(c)}` };
  }
  return { ok: true, value: text.replace(/[A-Z]/g, (upper) => `!${upper.toLowerCase()}`) };
}

function unescapeString(escaped: string): EscapeResult {
  // Most paths are lower-case ASCII with nothing escaped: then the text is its own value.
  let plain = 0;
  while (plain < escaped.length) {
    const code = escaped.charCodeAt(plain);
    if (code >= 0x80 || code === 0x21 || (code >= 0x41 && code <= 0x5a)) break;
    plain++;
  }
  if (plain === escaped.length) return { ok: true, value: escaped };
  let value = escaped.slice(0, plain);
  for (let i = plain; i < escaped.length; i++) {
    const c = escaped.charAt(i);
    if (c.charCodeAt(0) >= 0x80) return { ok: false, error: `non-ASCII character ${JSON.stringify(c)}` };
    if (c >= 'A' && c <= 'Z') {
      return { ok: false, error: `upper-case letter "${c}" must be written as "!${c.toLowerCase()}"` };
    }
    if (c !== '!') {
      value += c;
      continue;
    }
    const next = escaped.charAt(i + 1);
    if (next === '') return { ok: false, error: 'trailing "!"' };
    if (next < 'a' || next > 'z') return { ok: false, error: `"!" followed by ${JSON.stringify(next)}, not a lower-case letter` };
    value += next.toUpperCase();
    i++;
  }
  return { ok: true, value };
}

/** The escaped form of a module path; fails when the path is not a valid module path. */
export function escapePath(path: string): EscapeResult {
  const problem = checkModulePath(path);
  if (problem !== undefined) return { ok: false, error: `malformed module path ${JSON.stringify(path)}: ${problem}` };
  return escapeString(path);
}

/** The module path an escaped path stands for; fails on a bad escape or an invalid module path. */
export function unescapePath(escaped: string): EscapeResult {
  const unescaped = unescapeString(escaped);
  if (!unescaped.ok) return { ok: false, error: `invalid escaped module path ${JSON.stringify(escaped)}: ${unescaped.error}` };
  const problem = checkModulePath(unescaped.value);
  if (problem !== undefined) return { ok: false, error: `invalid escaped module path ${JSON.stringify(escaped)}: ${problem}` };
  return unescaped;
}

/** The escaped form of a version; versions need not be semver but must be valid file names without "!". */
export function escapeVersion(version: string): EscapeResult {
  const problem = checkVersion(version);
  if (problem !== undefined || version.includes('!')) return { ok: false, error: `disallowed version string ${JSON.stringify(version)}` };
  return escapeString(version);
}

/** The version an escaped version stands for. */
export function unescapeVersion(escaped: string): EscapeResult {
  const unescaped = unescapeString(escaped);
  if (!unescaped.ok) return { ok: false, error: `invalid escaped version ${JSON.stringify(escaped)}: ${unescaped.error}` };
  const problem = checkVersion(unescaped.value);
  if (problem !== undefined) return { ok: false, error: `invalid escaped version ${JSON.stringify(escaped)}: ${problem}` };
  return unescaped;
}
