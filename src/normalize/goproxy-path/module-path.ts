// Module path and version checks as golang.org/x/mod/module applies them (CheckPath, checkElem, SplitPathVersion).

/** Reserved file names on Windows, which the go command refuses as path elements. */
const badWindowsNames = new Set([
  'CON', 'PRN', 'AUX', 'NUL',
  'COM1', 'COM2', 'COM3', 'COM4', 'COM5', 'COM6', 'COM7', 'COM8', 'COM9',
  'LPT1', 'LPT2', 'LPT3', 'LPT4', 'LPT5', 'LPT6', 'LPT7', 'LPT8', 'LPT9',
]);

const isAsciiLetterOrDigit = (c: string): boolean => /^[A-Za-z0-9]$/.test(c);

/** Characters allowed in an import-path element. */
const pathCharOk = (c: string): boolean => isAsciiLetterOrDigit(c) || '+-._~'.includes(c);

/** Characters allowed in a file name, which is what a version must be (ASCII only, as escaped paths are ASCII). */
const fileNameCharOk = (c: string): boolean => isAsciiLetterOrDigit(c) || '!#$%&()+,-.=@[]^_{}~ '.includes(c);

/** Characters allowed in the first element of a module path, by convention a domain name. */
const firstElementCharOk = (c: string): boolean => /^[a-z0-9.-]$/.test(c);

/** Why one path element is invalid, or undefined when it is valid. */
function checkElement(elem: string, fileName: boolean): string | undefined {
  if (elem === '') return 'empty path element';
  if (/^\.+$/.test(elem)) return `invalid path element "${elem}"`;
  if (elem.startsWith('.') && !fileName) return 'leading dot in path element';
  if (elem.endsWith('.')) return 'trailing dot in path element';
  const charOk = fileName ? fileNameCharOk : pathCharOk;
  for (const c of elem) {
    if (!charOk(c)) return `invalid char ${JSON.stringify(c)}`;
  }
  const short = elem.split('.')[0] ?? elem;
  if (badWindowsNames.has(short.toUpperCase())) return `"${short}" disallowed as path element component on Windows`;
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
  if (path.startsWith('/')) return 'leading slash';
  for (const elem of path.split('/')) {
    const problem = checkElement(elem, false);
    if (problem !== undefined) return problem;
  }
  const first = path.split('/')[0] ?? '';
  if (!first.includes('.')) return 'missing dot in first path element';
  if (first.startsWith('-')) return 'leading dash in first path element';
  for (const c of first) {
    if (!firstElementCharOk(c)) return `invalid char ${JSON.stringify(c)} in first path element`;
  }
  if (!majorVersionSuffixOk(path)) return 'invalid major version suffix';
  return undefined;
}

/** Why `version` is not a valid version string (any valid file name, not only semver), or undefined. */
export function checkVersion(version: string): string | undefined {
  return checkElement(version, true);
}
