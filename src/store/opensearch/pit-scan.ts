import type { Client } from '@opensearch-project/opensearch';
import { rawHits, type RawHit } from './raw-hits.js';

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
  /**
   * Disjoint parts of the query (extra filters), read side by side from the one point in time, so OpenSearch answers
   * one while another is handled; their pages are handed on in turn (first of each, second of each…), a fixed order.
   */
  lanes?: Clause[];
}

/** One page as a scan hands it on, and the last hit's sort values (where the next page starts). */
interface Page<T> {
  items: T[];
  last: unknown[] | undefined;
}

type PageReader<T> = (body: Record<string, unknown>) => Promise<Page<T>>;

/**
 * Every hit's _source, in pages, from one point in time: one consistent view of the indices however many
 * documents arrive while the scan runs. The next page is asked for before this one is handed on.
 */
export function pitScan<T>(client: Client, scan: PitScan): AsyncIterable<T[]> {
  return pitPages(client, scan, async (body) => {
    const { body: answer } = await client.search({ body });
    const hits = ((answer as { hits?: { hits?: unknown[] } }).hits?.hits ?? []) as { _source: T; sort: unknown[] }[];
    return { items: hits.map((hit) => hit._source), last: hits.at(-1)?.sort };
  });
}

/**
 * As pitScan, but each hit's _source is the bytes OpenSearch sent, unparsed (raw-hits.ts), with the value at `pick`
 * inside it parsed: for copying stored documents as they are.
 */
export function rawPitScan(client: Client, scan: PitScan & { pick?: string[] }): AsyncIterable<RawHit[]> {
  return pitPages(client, scan, async (body) => {
    const response = await client.search({ body }, { asStream: true });
    const chunks: Buffer[] = [];
    // With asStream the client hands over the HTTP body unread; its typings still name the parsed answer.
    for await (const chunk of response.body as unknown as AsyncIterable<Buffer>) chunks.push(chunk);
    const answer = Buffer.concat(chunks);
    if (response.statusCode !== 200) throw new Error(`search answered ${String(response.statusCode)}: ${answer.toString('utf8', 0, 500)}`);
    const hits = rawHits(answer, scan.pick);
    return { items: hits, last: hits.at(-1)?.sort };
  });
}

async function* pitPages<T>(client: Client, scan: PitScan, read: PageReader<T>): AsyncIterable<T[]> {
  const { index, query, sort, pageSize, source } = scan;
  const keepAlive = scan.keepAlive ?? '2m';
  const { body: exists } = await client.indices.existsAlias({ name: index });
  if (exists !== true) return;
  if (scan.refresh === true) await client.indices.refresh({ index }).catch(() => undefined);
  const { body: pit } = await client.createPit({ index: [index], keep_alive: keepAlive });
  const page = (after: unknown[] | undefined, lane: Clause | undefined) => {
    const pending = read({
      size: pageSize,
      pit: { id: pit.pit_id, keep_alive: keepAlive },
      query: lane === undefined ? query : { bool: { filter: [query, lane] } },
      sort,
      ...(source === undefined ? {} : { _source: source }),
      ...(after === undefined ? {} : { search_after: after }),
      track_total_hits: false,
    });
    // Awaited on a later turn; if the caller stops first, its failure must not go unhandled.
    pending.catch(() => undefined);
    return pending;
  };
  try {
    const lanes = scan.lanes ?? [undefined];
    // One page asked for ahead in every lane: the next is requested before this one is handed on.
    const ahead = lanes.map((lane) => page(undefined, lane));
    let open = lanes.map((_, lane) => lane);
    while (open.length > 0) {
      const still: number[] = [];
      for (const lane of open) {
        const { items, last } = await ahead[lane]!;
        const more = items.length >= pageSize;
        if (more) {
          ahead[lane] = page(last, lanes[lane]);
          still.push(lane);
        }
        if (items.length > 0) yield items;
      }
      open = still;
    }
  } finally {
    await client.deletePit({ body: { pit_id: [pit.pit_id] } }).catch(() => undefined);
  }
}
