// Recognises an Athens line when nothing named its format: only shapes no other common logger writes.
import { parseKeyValues } from './key-value.js';
import { isAthensDevLine } from './text-line.js';
import { stripAnsi } from '../terminal-colour.js';

/** Keys Athens puts on every request-scoped line; a generic logrus or slog line lacks them. */
const athensRequestKeys = ['http-path', 'request-id'] as const;

export function looksLikeAthens(line: string): boolean {
  if (isAthensDevLine(line)) return true;
  const fields = readFields(line);
  if (fields === undefined || typeof fields.get('msg') !== 'string') return false;
  return athensRequestKeys.some((key) => typeof fields.get(key) === 'string');
}

function readFields(line: string): ReadonlyMap<string, unknown> | undefined {
  if (line.trimStart().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(line);
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? new Map(Object.entries(parsed)) : undefined;
    } catch {
      return undefined;
    }
  }
  return parseKeyValues(stripAnsi(line));
}
