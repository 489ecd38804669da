/** Index and alias names; daily indices keyed by the record's own time, so a replay lands where the original did. */
export type IndexKind = 'audit' | 'alerts' | 'deadletters' | 'findings' | 'seals';

export const readAlias = (prefix: string, kind: IndexKind): string => `${prefix}-${kind}`;
export const indexPattern = (prefix: string, kind: IndexKind): string => `${prefix}-${kind}-*`;
export const templateName = (prefix: string, kind: IndexKind): string => `${prefix}-${kind}`;

export function dailyIndex(prefix: string, kind: IndexKind, timestamp: string): string {
  const day = new Date(timestamp).toISOString().slice(0, 10).replaceAll('-', '.');
  return `${prefix}-${kind}-${day}`;
}

/** The one seals index: a single index, so `_id` = topic/partition/sequence is unique for a whole chain (a fork is a 409). */
export const sealsIndex = (prefix: string): string => `${prefix}-seals-000001`;
