import { createHash } from 'node:crypto';
import type { Client } from '@opensearch-project/opensearch';
import { ModtrailError } from '../../core/errors.js';
import type { AuditRecord } from '../../core/record.js';
import type { AlertFilter, AuditQuery, ModuleVersionSummary, Page, PageRequest, RecordFilter, StoredAlert } from '../audit-store.js';
import { readAlias, type IndexKind } from './index-names.js';
import type { PageCursors } from './page-cursor.js';
import { PitSessions } from './pit-sessions.js';

type Clause = Record<string, unknown>;
type SearchBody = NonNullable<Parameters<Client['search']>[0]>['body'];
// The DSL is assembled from typed filters in this file; the client's deep DSL types are asserted once, here.
const dsl = (body: Record<string, unknown>): SearchBody => body as unknown as SearchBody;

/** Most versions one module answer lists; a module with more is truncated to the most recently seen. */
const maxVersions = 1000;
// Cardinality is exact below this many distinct values (HyperLogLog++ above it).
const cardinalityPrecision = 40_000;

/**
 * Reads records and alerts for the API. Every filter becomes a term or range clause holding the value as
 * data, so no caller text is ever parsed as query syntax. Later pages use a point in time and search_after,
 * so a client paging through sees one consistent view however many records arrive meanwhile.
 */
export class OpenSearchAuditQuery implements AuditQuery {
  constructor(
    private readonly client: Client,
    private readonly indexPrefix: string,
    private readonly cursors: PageCursors,
    private readonly keepAlive = '5m',
    private readonly sessions = new PitSessions(client, indexPrefix),
  ) {}

  async searchRecords(filter: RecordFilter, page: PageRequest): Promise<Page<AuditRecord>> {
    const hits = await this.pageOf('audit', recordClauses(filter), fingerprint('records', filter), page, 'event.id', 'event.ingested');
    return { items: hits.items.map((hit) => hit as unknown as AuditRecord), ...(hits.nextCursor ? { nextCursor: hits.nextCursor } : {}) };
  }

  async searchAlerts(filter: AlertFilter, page: PageRequest): Promise<Page<StoredAlert>> {
    const clauses: Clause[] = [];
    if (filter.ruleId !== undefined) clauses.push(term('rule.id', filter.ruleId));
    if (filter.minSeverity !== undefined) clauses.push({ range: { 'alert.severity': { gte: filter.minSeverity } } });
    if (filter.module !== undefined) clauses.push(term('package.name', filter.module));
    if (filter.user !== undefined) clauses.push(term('user.name', filter.user));
    if (filter.host !== undefined) clauses.push(term('host.name', filter.host));
    const range = timeRange(filter.from, filter.to);
    if (range) clauses.push(range);
    // Alert documents carry no arrival time (their @timestamp is the record's): later pages rest on the point in time alone.
    const hits = await this.pageOf('alerts', clauses, fingerprint('alerts', filter), page, 'alert.id', undefined);
    return { items: hits.items.map(toStoredAlert), ...(hits.nextCursor ? { nextCursor: hits.nextCursor } : {}) };
  }

  async moduleVersions(module: string, filter: Pick<RecordFilter, 'actions' | 'from' | 'to'>): Promise<ModuleVersionSummary[]> {
    const index = readAlias(this.indexPrefix, 'audit');
    const clauses = [...recordClauses({ ...filter, module }), { exists: { field: 'package.version' } }];
    const request = {
      index,
      ignore_unavailable: true,
      allow_no_indices: true,
      body: dsl({
        size: 0,
        query: { bool: { filter: clauses } },
        aggs: {
          versions: {
            terms: { field: 'package.version', size: maxVersions, order: { last_seen: 'desc' } },
            aggs: {
              first_seen: { min: { field: '@timestamp' } },
              last_seen: { max: { field: '@timestamp' } },
              users: { cardinality: { field: 'user.name', precision_threshold: cardinalityPrecision } },
              hosts: { cardinality: { field: 'host.name', precision_threshold: cardinalityPrecision } },
            },
          },
        },
      }),
    };
    const answer = await this.client.search(request).catch((error: unknown) => {
      if (isIndexMissing(error)) return undefined;
      throw error;
    });
    if (answer === undefined) return [];
    const { body } = answer;
    type Bucket = { key: string; doc_count: number; first_seen: { value: number }; last_seen: { value: number }; users: { value: number }; hosts: { value: number } };
    const buckets = ((body.aggregations as { versions?: { buckets: Bucket[] } } | undefined)?.versions?.buckets ?? []) as Bucket[];
    return buckets.map((bucket) => ({
      version: bucket.key,
      firstSeen: new Date(bucket.first_seen.value).toISOString(),
      lastSeen: new Date(bucket.last_seen.value).toISOString(),
      downloads: bucket.doc_count,
      distinctUsers: bucket.users.value,
      distinctHosts: bucket.hosts.value,
    }));
  }

  /**
   * One page of _source documents, newest first, tie-broken by a unique keyword. The first page is a plain search
   * (most listings are never paged further, and each open point in time costs the cluster); its cursor remembers
   * when it was read. The second page opens a point in time and every later page reads it, limited to what had
   * arrived by the first page (`arrivedField` ≤ asOf), so records stored meanwhile never shift the pages.
   */
  private async pageOf(
    kind: IndexKind,
    clauses: Clause[],
    query: string,
    page: PageRequest,
    idField: string,
    arrivedField: string | undefined,
  ): Promise<Page<Record<string, unknown>>> {
    const sort = [{ '@timestamp': 'desc' }, { [idField]: 'desc' }];
    const index = readAlias(this.indexPrefix, kind);
    const state = page.cursor === undefined ? undefined : this.cursors.decode(page.cursor, query);
    if (state === undefined) {
      const asOf = Date.now();
      // No existence check first: one round trip per first page, and a store with no records yet answers an empty page.
      const answer = await this.client
        .search({ index, ignore_unavailable: true, allow_no_indices: true, body: dsl({ size: page.size, query: { bool: { filter: clauses } }, sort, track_total_hits: false }) })
        .catch((error: unknown) => {
          if (isIndexMissing(error)) return undefined;
          throw error;
        });
      if (answer === undefined) return { items: [] };
      const { body } = answer;
      const hits = body.hits.hits as { _source: Record<string, unknown>; sort: (string | number)[] }[];
      const last = hits.at(-1);
      const items = hits.map((hit) => hit._source);
      if (page.single === true || hits.length < page.size || last === undefined) return { items };
      return { items, nextCursor: this.cursors.encode({ asOf, after: last.sort, query }) };
    }
    let session = state.pit;
    let pit: string;
    if (session === undefined) {
      const { body } = await this.client.createPit({ index: [index], keep_alive: this.keepAlive });
      pit = body.pit_id as string;
      session = await this.sessions.save(pit);
    } else {
      const known = await this.sessions.pit(session);
      if (known === undefined) throw new ModtrailError('query.cursor_expired', 'the cursor expired: start again from the first page');
      pit = known;
    }
    const arrived = arrivedField === undefined ? [] : [{ range: { [arrivedField]: { lte: new Date(state.asOf).toISOString() } } }];
    let hits: { _source: Record<string, unknown>; sort: (string | number)[] }[];
    try {
      const { body } = await this.client.search({
        body: dsl({
          size: page.size,
          pit: { id: pit, keep_alive: this.keepAlive },
          query: { bool: { filter: [...clauses, ...arrived] } },
          sort,
          search_after: state.after,
          track_total_hits: false,
        }),
      });
      hits = body.hits.hits as typeof hits;
    } catch (error) {
      if (state.pit !== undefined && isMissingPit(error)) {
        throw new ModtrailError('query.cursor_expired', 'the cursor expired: start again from the first page', { cause: error });
      }
      throw error;
    }
    const last = hits.at(-1);
    if (hits.length < page.size || last === undefined) {
      // The last page: the point in time is no longer needed.
      await this.client.deletePit({ body: { pit_id: [pit] } }).catch(() => undefined);
      await this.sessions.remove(session);
      return { items: hits.map((hit) => hit._source) };
    }
    return { items: hits.map((hit) => hit._source), nextCursor: this.cursors.encode({ asOf: state.asOf, pit: session, after: last.sort, query }) };
  }
}

export function recordClauses(filter: RecordFilter): Clause[] {
  const clauses: Clause[] = [];
  const add = (field: string, value: string | number | undefined) => {
    if (value !== undefined) clauses.push(term(field, value));
  };
  add('event.dataset', filter.dataset);
  add('user.name', filter.user);
  add('host.name', filter.host);
  add('package.name', filter.module);
  add('package.version', filter.version);
  add('observer.name', filter.proxy);
  add('event.outcome', filter.outcome);
  add('rule.id', filter.ruleId);
  add('event.severity', filter.severity);
  if (filter.actions !== undefined) clauses.push({ terms: { 'event.action': [...filter.actions] } });
  if (filter.minSeverity !== undefined) clauses.push({ range: { 'event.severity': { gte: filter.minSeverity } } });
  const range = timeRange(filter.from, filter.to);
  if (range) clauses.push(range);
  return clauses;
}

const term = (field: string, value: string | number): Clause => ({ term: { [field]: { value } } });

function timeRange(from: Date | undefined, to: Date | undefined): Clause | undefined {
  if (from === undefined && to === undefined) return undefined;
  return { range: { '@timestamp': { ...(from ? { gte: from.toISOString() } : {}), ...(to ? { lt: to.toISOString() } : {}) } } };
}

/** Ties a cursor to the query it was issued for (filters, not page size). */
function fingerprint(kind: string, filter: object): string {
  const normal = Object.entries(filter)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value]);
  return createHash('sha256').update(JSON.stringify([kind, normal])).digest('base64url').slice(0, 22);
}

function isIndexMissing(error: unknown): boolean {
  const meta = (error as { meta?: { statusCode?: number; body?: unknown } }).meta;
  return meta?.statusCode === 404 && JSON.stringify(meta.body ?? '').includes('index_not_found_exception');
}

function isMissingPit(error: unknown): boolean {
  const meta = (error as { meta?: { statusCode?: number; body?: unknown } }).meta;
  const text = JSON.stringify(meta?.body ?? '');
  return meta?.statusCode === 404 || /search_context_missing|No search context/i.test(text);
}

function toStoredAlert(source: Record<string, unknown>): StoredAlert {
  const alert = (source.alert ?? {}) as { id: string; fingerprint: string; severity: number };
  const record = (source.record ?? {}) as { id: string };
  const stored: StoredAlert = {
    id: alert.id,
    '@timestamp': source['@timestamp'] as string,
    severity: alert.severity,
    fingerprint: alert.fingerprint,
    rule: ruleOf(source.rule),
    recordId: record.id,
  };
  // Only the documented fields: the alert document keeps whatever the record had (package.type, user.domain…).
  const pkg = source.package as { name?: unknown; version?: unknown } | undefined;
  if (typeof pkg?.name === 'string') stored.package = { name: pkg.name, ...(typeof pkg.version === 'string' ? { version: pkg.version } : {}) };
  const user = (source.user as { name?: unknown } | undefined)?.name;
  if (typeof user === 'string') stored.user = { name: user };
  const host = (source.host as { name?: unknown } | undefined)?.name;
  if (typeof host === 'string') stored.host = { name: host };
  if (source.delivery !== undefined) stored.delivery = source.delivery;
  return stored;
}

function ruleOf(value: unknown): StoredAlert['rule'] {
  const rule = (value ?? {}) as { id?: unknown; name?: unknown; version?: unknown };
  const strings = (list: unknown) => (Array.isArray(list) ? list.filter((item): item is string => typeof item === 'string') : []);
  return { id: strings(rule.id), name: strings(rule.name), ...(typeof rule.version === 'string' ? { version: rule.version } : {}) };
}
