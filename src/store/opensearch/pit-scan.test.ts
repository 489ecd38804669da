import type { Client } from '@opensearch-project/opensearch';
import { describe, expect, it } from 'vitest';
import { pitScan, type Clause } from './pit-scan.js';

interface Doc {
  id: number;
  half: 'early' | 'late';
}

/**
 * The few calls a scan makes, in memory: a fake collaborator for a unit test (the integration tests scan the real
 * OpenSearch). Search answers `size` docs after `search_after`, filtered by a lane's half when one is given.
 */
function fakeClient(docs: Doc[], log: string[]): Client {
  const laneOf = (query: Clause): string | undefined => {
    const filter = (query as { bool?: { filter?: Clause[] } }).bool?.filter;
    return (filter?.[1] as { half?: string } | undefined)?.half;
  };
  return {
    indices: { existsAlias: async () => ({ body: true }), refresh: async () => ({ body: {} }) },
    createPit: async () => ({ body: { pit_id: 'pit-1' } }),
    deletePit: async () => {
      log.push('deletePit');
      return { body: {} };
    },
    search: async ({ body }: { body: { size: number; query: Clause; search_after?: number[]; pit: { id: string } } }) => {
      const lane = laneOf(body.query);
      const after = body.search_after?.[0] ?? -1;
      const hits = docs.filter((doc) => (lane === undefined || doc.half === lane) && doc.id > after).slice(0, body.size);
      log.push(`search ${lane ?? 'all'} after ${after} on ${body.pit.id}`);
      return { body: { hits: { hits: hits.map((doc) => ({ _source: doc, sort: [doc.id] })) } } };
    },
  } as unknown as Client;
}

const docs: Doc[] = Array.from({ length: 10 }, (_, id) => ({ id, half: id < 4 ? 'early' : 'late' }));

describe('pitScan', () => {
  it('pages through everything once from one point in time, and closes it', async () => {
    const log: string[] = [];
    const pages: number[][] = [];
    for await (const page of pitScan<Doc>(fakeClient(docs, log), { index: 'a', query: { match_all: {} }, sort: [{ id: 'asc' }], pageSize: 3 })) pages.push(page.map((d) => d.id));
    expect(pages).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
    expect(log.at(-1)).toBe('deletePit');
  });

  it('reads lanes side by side over the one point in time, handing pages on in turn (first of each, then second…)', async () => {
    const log: string[] = [];
    const pages: number[][] = [];
    const lanes = [{ half: 'early' }, { half: 'late' }];
    for await (const page of pitScan<Doc>(fakeClient(docs, log), { index: 'a', query: { match_all: {} }, sort: [{ id: 'asc' }], pageSize: 3, lanes })) pages.push(page.map((d) => d.id));
    // The early lane ends after its second page; the late lane goes on alone.
    expect(pages).toEqual([[0, 1, 2], [4, 5, 6], [3], [7, 8, 9]]);
    expect(pages.flat().sort((a, b) => a - b)).toEqual(docs.map((d) => d.id));
    expect(log.filter((line) => line.startsWith('search')).every((line) => line.endsWith('on pit-1'))).toBe(true);
    // Both lanes' first pages are asked for before either is handed on.
    expect(log.slice(0, 2)).toEqual(['search early after -1 on pit-1', 'search late after -1 on pit-1']);
    expect(log.at(-1)).toBe('deletePit');
  });

  it('closes the point in time when the caller stops early', async () => {
    const log: string[] = [];
    for await (const page of pitScan<Doc>(fakeClient(docs, log), { index: 'a', query: { match_all: {} }, sort: [{ id: 'asc' }], pageSize: 3, lanes: [{ half: 'early' }, { half: 'late' }] })) {
      expect(page.length).toBe(3);
      break;
    }
    expect(log.at(-1)).toBe('deletePit');
  });
});
