// zod issues → one line each, "host.os: must be one of windows, linux, darwin", so a dead letter says what to fix.
import type { z } from 'zod';

/** More than this many problems is a wrong document, not a typo; the rest are counted, not listed. */
const listedProblems = 8;

export function describeProblems(issues: readonly z.core.$ZodIssue[], input: unknown): string {
  const lines = issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${keyPath([...issue.path, key])}: unknown key`);
    // A missing field reads better as "is required" than as "expected string, received undefined".
    const missing = issue.path.length > 0 && valueAt(input, issue.path) === undefined && !issue.message.startsWith('is required');
    return [`${keyPath(issue.path) || '(event)'}: ${missing ? 'is required' : issue.message}`];
  });
  const more = lines.length - listedProblems;
  return more > 0 ? `${lines.slice(0, listedProblems).join('; ')}; and ${more} more` : lines.join('; ');
}

/** `host.ip[1]`; a key that is not a plain word is quoted, so an odd key cannot garble the reason. */
export function keyPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => {
      if (typeof key === 'number') return `[${key}]`;
      const name = String(key);
      return /^[A-Za-z0-9_$-]+$/.test(name) ? `${i > 0 ? '.' : ''}${name}` : `[${JSON.stringify(name)}]`;
    })
    .join('');
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let node = value;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}
