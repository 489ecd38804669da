import { readFileSync } from 'node:fs';

/** modtrail's version from its package.json (src/export/ and dist/export/ both sit two levels below it). */
export function modtrailVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
