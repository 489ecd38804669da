import type { Client } from '@opensearch-project/opensearch';

export type Clause = Record<string, unknown>;

export interface PitScan {
  /** An alias or index; nothing is yielded when it does not exist yet. */
  index: string;
  query: Clause;
  /** Must end in a unique field, so search_after never skips or repeats a hit. */
  sort: Clause[];
  pageSize: number;
  /** Only these _source fields, when given. */
  source?: string[];
  /** Refresh first, so writes of the last second are seen (best effort: a reader without the privilege still scans). */
  refresh?: boolean;
  keepAlive?: string;
}

/**
 * Every hit's _source, in pages, from one point in time: one consistent view of the indices however many
 * documents arrive while the scan runs. The next page is asked for before this one is handed on.
 */
export async function* pitScan<T>(client: Client, scan: PitScan): AsyncIterable<T[]> {
  const { index, query, sort, pageSize, source } = scan;
  const keepAlive = scan.keepAlive ?? '2m';
  const { body: exists } = await client.indices.existsAlias({ name: index });
  if (exists !== true) return;
  if (scan.refresh === true) await client.indices.refresh({ index }).catch(() => undefined);
  const { body: pit } = await client.createPit({ index: [index], keep_alive: keepAlive });
  const page = (after: unknown[] | undefined) =>
    client.search({
      body: {
        size: pageSize,
        pit: { id: pit.pit_id, keep_alive: keepAlive },
        query,
        sort,
        ...(source === undefined ? {} : { _source: source }),
        ...(after === undefined ? {} : { search_after: after }),
        track_total_hits: false,
      } as Record<string, unknown>,
    });
  try {
    let pending = page(undefined);
    for (;;) {
      const { body } = await pending;
      const hits = ((body as { hits?: { hits?: unknown[] } }).hits?.hits ?? []) as { _source: T; sort: unknown[] }[];
      const more = hits.length >= pageSize;
      if (more) {
        pending = page(hits.at(-1)!.sort);
        // Awaited on the next turn; if the caller stops first, its failure must not go unhandled.
        pending.catch(() => undefined);
      }
      if (hits.length > 0) yield hits.map((hit) => hit._source);
      if (!more) return;
    }
  } finally {
    await client.deletePit({ body: { pit_id: [pit.pit_id] } }).catch(() => undefined);
  }
}
