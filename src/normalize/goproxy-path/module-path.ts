// Module path and version checks as golang.org/x/mod/module applies them (CheckPath, checkElem, SplitPathVersion).

/** Reserved file names on Windows, which the go command refuses as path elements. */
const badWindowsNames = new Set([
  'CON', 'PRN', 'AUX', 'NUL',
  'COM1', 'COM2', 'COM3', 'COM4', 'COM5', 'COM6', 'COM7', 'COM8', 'COM9',
  'LPT1', 'LPT2', 'LPT3', 'LPT4', 'LPT5', 'LPT6', 'LPT7', 'LPT8', 'LPT9',
]);

// Every allowed character is ASCII, so one table indexed by char code answers all three questions.
const pathChar = 1; // allowed in an import-path element
const fileNameChar = 2; // allowed in a file name, which is what a version must be
const firstElementChar = 4; // allowed in the first element of a module path, by convention a domain name
const charClass = new Uint8Array(128);
function allow(chars: string, flag: number): void {
  for (let i = 0; i < chars.length; i++) charClass[chars.charCodeAt(i)]! |= flag;
}
const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const lower = 'abcdefghijklmnopqrstuvwxyz';
const digits = '0123456789';
allow(upper + lower + digits + '+-._~', pathChar);
allow(upper + lower + digits + '!#$%&()+,-.=@[]^_{}~ ', fileNameChar);
allow(lower + digits + '.-', firstElementChar);

const dot = 0x2e;
const slash = 0x2f;

/** The first character of `text` at `from` or later that lacks `flag`, as text (a whole code point); undefined when none. */
function firstCharWithout(text: string, flag: number, from = 0, to = text.length): string | undefined {
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80 || (charClass[code]! & flag) === 0) return String.fromCodePoint(text.codePointAt(i)!);
  }
  return undefined;
}

/** Why the path element text[start, end) is invalid, or undefined when it is valid. */
function checkElement(text: string, start: number, end: number, fileName: boolean): string | undefined {
  if (start === end) return 'empty path element';
  let dots = start;
  while (dots < end && text.charCodeAt(dots) === dot) dots++;
  if (dots === end) return `invalid path element "${text.slice(start, end)}"`;
  if (dots > start && !fileName) return 'leading dot in path element';
  if (text.charCodeAt(end - 1) === dot) return 'trailing dot in path element';
  const bad = firstCharWithout(text, fileName ? fileNameChar : pathChar, start, end);
  if (bad !== undefined) return `invalid char ${JSON.stringify(bad)}`;
  // Only the part before the first dot is compared with the reserved names, all of three or four letters.
  const firstDot = text.indexOf('.', start);
  const shortEnd = firstDot < 0 || firstDot > end ? end : firstDot;
  if (shortEnd - start === 3 || shortEnd - start === 4) {
    const short = text.slice(start, shortEnd);
    if (badWindowsNames.has(short.toUpperCase())) return `"${short}" disallowed as path element component on Windows`;
  }
  return undefined;
}

/** Whether the final element is an acceptable major-version suffix (not /v0, /v1, /v1.2, /v02; gopkg.in needs .vN). */
function majorVersionSuffixOk(path: string): boolean {
  if (path.startsWith('gopkg.in/')) {
    const match = /\.v([0-9]+)(-unstable)?$/.exec(path);
    if (!match) return false;
    // Only a bare .v0 may start with a zero; .v00 and even .v0-unstable are refused.
    return !(match[1]?.startsWith('0') === true && match[0] !== '.v0');
  }
  const match = /\/v([0-9.]+)$/.exec(path);
  if (!match) return true;
  const digits = match[1] ?? '';
  return !(digits.includes('.') || digits.startsWith('0') || digits === '1');
}

/** Why `path` is not a valid module path, or undefined when it is one. */
export function checkModulePath(path: string): string | undefined {
  if (path === '') return 'empty module path';
  if (path.includes('..')) return 'double dot';
  if (path.includes('//')) return 'double slash';
  if (path.endsWith('/')) return 'trailing slash';
  if (path.charCodeAt(0) === slash) return 'leading slash';
  for (let start = 0; start <= path.length; ) {
    const slashAt = path.indexOf('/', start);
    const end = slashAt < 0 ? path.length : slashAt;
    const problem = checkElement(path, start, end, false);
    if (problem !== undefined) return problem;
    start = end + 1;
  }
  const firstSlash = path.indexOf('/');
  const firstEnd = firstSlash < 0 ? path.length : firstSlash;
  const firstDot = path.indexOf('.');
  if (firstDot < 0 || firstDot > firstEnd) return 'missing dot in first path element';
  if (path.charCodeAt(0) === 0x2d) return 'leading dash in first path element';
  const bad = firstCharWithout(path, firstElementChar, 0, firstEnd);
  if (bad !== undefined) return `invalid char ${JSON.stringify(bad)} in first path element`;
  if (!majorVersionSuffixOk(path)) return 'invalid major version suffix';
  return undefined;
}

/** Why `version` is not a valid version string (any valid file name, not only semver), or undefined. */
export function checkVersion(version: string): string | undefined {
  return checkElement(version, 0, version.length, true);
}
