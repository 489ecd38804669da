// The API's read side against the real OpenSearch (records seeded through the real store), on a real listener,
// with tokens signed here and API-use events written to the real Kafka.
import { randomUUID } from 'node:crypto';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../src/api/app.js';
import { ApiServer } from '../../src/api/api-server.js';
import { createTokenVerifier } from '../../src/api/auth/token-verifier.js';
import { apiConfigSchema } from '../../src/api/config.js';
import { KafkaApiAuditLog } from '../../src/api/kafka-audit-log.js';
import { openApiDocument } from '../../src/api/openapi.js';
import { responseProblems } from '../../src/api/testing/openapi-check.js';
import { testIssuer, type TestIssuer } from '../../src/api/testing/test-tokens.js';
import type { Alert } from '../../src/core/component.js';
import { ecsVersion, type AuditRecord } from '../../src/core/record.js';
import { OpaEvaluator } from '../../src/evaluate/opa/opa-evaluator.js';
import { loadPolicyData } from '../../src/evaluate/opa/policy-data.js';
import { OpenSearchSink } from '../../src/sinks/opensearch/opensearch-sink.js';
import { ensureTopics } from '../../src/sources/kafka/topics.js';
import { OpenSearchAlertStore } from '../../src/store/opensearch/alert-store.js';
import { createOpenSearchClient } from '../../src/store/opensearch/client.js';
import { PageCursors } from '../../src/store/opensearch/page-cursor.js';
import { OpenSearchAuditQuery } from '../../src/store/opensearch/record-query.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { removeTestData } from '../support/cleanup.js';
import { readTopic, testKafka } from '../support/kafka-topics.js';
import { randomInt, randomItem, seededRandom } from '../support/seeded-random.js';

const run = randomUUID().slice(0, 8);
const indexPrefix = `api-read-${run}`;
const apiTopic = `api-${run}`;
const opensearch = new Client({ node: inject('opensearchUrl') });
const storeClient = createOpenSearchClient({ node: inject('opensearchUrl'), indexPrefix, requestTimeoutMs: 30_000 });
const kafka = testKafka(inject('kafkaBrokers'));
const sink = new OpenSearchSink(storeClient, indexPrefix);
const config = apiConfigSchema.parse({ limits: { maxPageSize: 200, defaultPageSize: 50 } });
const document = openApiDocument(config.limits.maxPageSize);
const evaluator = new OpaEvaluator({ bundleDir: 'policies/bundle', dataFile: 'policies/data/default.json' });

const modules = ['golang.org/x/crypto', 'golang.org/x/net', 'github.com/acme-corp/billing/v2', 'github.com/unvetted-org/lib'];
const versions = ['v0.14.0', 'v0.16.0', 'v0.17.0', 'v0.21.0'];
const users = ['alice', 'bob', 'carol', 'dave', 'erin'];
const hosts = ['DEV-0001', 'DEV-0002', 'BUILD-07'];
const proxies = ['athens-eu-1', 'rt-us-1'];
const actions = ['module.zip', 'module.mod', 'module.info', 'module.list', 'sumdb.lookup'];
const seeded: AuditRecord[] = [];
const seededAt = new Date(Date.now() - 60_000).toISOString();
/** The issue's scale: listings, aggregations and paging are checked against 100,000 stored records. */
const seededDownloads = 100_000;
let seq = 0;
let idp: TestIssuer;
let server: ApiServer;
let base: string;
let auditLog: KafkaApiAuditLog;
const tokens: Record<string, string> = {};

function download(time: Date, fields: { module: string; version: string; user: string; host: string; proxy: string; action: string; outcome: 'success' | 'failure' }): AuditRecord {
  seq++;
  const ruled = fields.module === 'github.com/unvetted-org/lib';
  return {
    '@timestamp': time.toISOString(),
    ecs: { version: ecsVersion },
    event: {
      id: createId(seq),
      kind: 'event',
      category: ['web', 'package'],
      type: ['access'],
      action: fields.action,
      outcome: fields.outcome,
      dataset: fields.proxy.startsWith('athens') ? 'athens.access' : 'artifactory.request',
      // Stored before the test asks anything, as the pipeline would stamp it; later arrivals set their own.
      ingested: seededAt,
      original: `seeded line ${seq}`,
      severity: ruled ? 3 : 1,
    },
    observer: { product: fields.proxy.startsWith('athens') ? 'athens' : 'Artifactory', type: 'proxy', name: fields.proxy },
    user: { name: fields.user },
    host: { name: fields.host },
    package: { name: fields.module, ...(fields.action === 'module.list' ? {} : { version: fields.version }), type: 'golang' },
    rule: { id: ruled ? ['module.not_allowlisted'] : [], name: ruled ? ['Module outside the allowlist'] : [], ruleset: 'modtrail', version: 'test' },
  };
}

const createId = (n: number): string => `${run}${n.toString(16).padStart(32, '0')}`.slice(0, 40).padEnd(40, '0').replace(/[^0-9a-f]/g, 'a');

function goenv(time: string, action: string, fields: AuditRecord['goenv']): AuditRecord {
  seq++;
  return {
    '@timestamp': time,
    ecs: { version: ecsVersion },
    event: { id: createId(seq), kind: 'event', category: ['configuration'], type: ['change'], action, outcome: 'success', dataset: 'agent.goenv', ingested: seededAt, original: `goenv ${seq}` },
    observer: { vendor: 'modtrail', product: 'modtrail-agent', type: 'agent' },
    host: { name: 'DEV-0042' },
    user: { name: 'jdoe' },
    goenv: fields,
  };
}

async function store(records: AuditRecord[]): Promise<void> {
  for (let i = 0; i < records.length; i += 1000) {
    const settlements = await sink.write(records.slice(i, i + 1000));
    expect(settlements.every((s) => s.status === 'delivered')).toBe(true);
  }
  await opensearch.indices.refresh({ index: `${indexPrefix}-*` });
}

let requests = 0;
async function get(path: string, role = 'analyst') {
  requests++;
  const response = await fetch(`${base}${path}`, { headers: role === '' ? {} : { authorization: `Bearer ${tokens[role]}` } });
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, body, headers: response.headers };
}

function conforms(answer: Awaited<ReturnType<typeof get>>, template: string): void {
  expect(responseProblems(document, template, 'GET', answer.status, answer.headers.get('content-type') ?? '', answer.body)).toEqual([]);
}

beforeAll(async () => {
  await sink.start();
  const random = seededRandom(0xa91);
  const start = Date.parse('2026-11-01T00:00:00Z');
  for (let i = 0; i < seededDownloads; i++) {
    seeded.push(
      download(new Date(start + i * 20_000 + randomInt(random, 0, 1000)), {
        module: randomItem(random, modules),
        version: randomItem(random, versions),
        user: randomItem(random, users),
        host: randomItem(random, hosts),
        proxy: randomItem(random, proxies),
        action: randomItem(random, actions),
        outcome: random() < 0.9 ? 'success' : 'failure',
      }),
    );
  }
  seeded.push(
    goenv('2026-11-10T08:00:00.000Z', 'goenv.snapshot', { scope: 'user', settings: { GOPROXY: 'https://goproxy.corp.example.com', GOSUMDB: 'sum.golang.org' } }),
    goenv('2026-11-12T08:00:00.000Z', 'goenv.changed', { name: 'GOSUMDB', value: 'off', previous_value: 'sum.golang.org', scope: 'user' }),
    goenv('2026-11-13T08:00:00.000Z', 'goenv.changed', { name: 'GOPROXY', value: 'https://proxy.golang.org,direct', scope: 'user' }),
  );
  await store(seeded);
  const alerts: Alert[] = seeded
    .filter((r) => (r.rule?.id.length ?? 0) > 0)
    .slice(0, 5)
    .map((record, i) => ({ id: `alert-${run}-${i}`, '@timestamp': record['@timestamp'], rule: { id: record.rule!.id, name: record.rule!.name, version: 'test' }, severity: 3, fingerprint: `fp-${i}`, record }));
  await new OpenSearchAlertStore(storeClient, indexPrefix).save(alerts);
  await opensearch.update({ index: `${indexPrefix}-alerts-${alerts[0]!['@timestamp'].slice(0, 10).replaceAll('-', '.')}`, id: alerts[0]!.id, body: { doc: { delivery: { 'webhook-sec': { status: 'delivered', attempts: 1 } } } } });
  await opensearch.indices.refresh({ index: `${indexPrefix}-*` });

  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [apiTopic]);
  await admin.disconnect();

  await evaluator.start();
  idp = await testIssuer();
  const auth = apiConfigSchema.parse({ enabled: true, auth: { issuer: idp.issuer, audience: idp.audience, publicKeys: idp.jwks } }).auth;
  const logger = createLogger('warn');
  auditLog = new KafkaApiAuditLog(kafka, apiTopic, logger);
  const app = createApp({
    config,
    verifyToken: createTokenVerifier(auth),
    query: new OpenSearchAuditQuery(storeClient, indexPrefix, new PageCursors(), '2m'),
    auditLog,
    logger,
    policy: { data: () => loadPolicyData('policies/data/default.json'), judge: (records) => evaluator.evaluate(records), reload: async () => ({ ok: true, revision: 'x' }) },
  });
  server = new ApiServer(app, { host: '127.0.0.1', port: 0 }, [auditLog], logger);
  await server.start();
  base = `http://127.0.0.1:${server.port}`;
  tokens.analyst = await idp.sign({ sub: 'analyst@corp', roles: ['analyst'] });
  tokens.ingest = await idp.sign({ sub: 'gateway@corp', roles: ['ingest'] });
});

afterAll(async () => {
  await server?.stop();
  await evaluator.stop();
  await removeTestData({ kafka, topics: [apiTopic], opensearch, indexPrefix });
  await storeClient.close();
  await opensearch.close();
});

const newestFirst = (a: AuditRecord, b: AuditRecord) => (a['@timestamp'] === b['@timestamp'] ? (a.event.id < b.event.id ? 1 : -1) : a['@timestamp'] < b['@timestamp'] ? 1 : -1);
const downloadActions = new Set(['module.zip', 'module.mod', 'module.info', 'module.list', 'module.latest']);

/** Every page of a listing, following nextCursor. */
async function allPages(path: string, between?: (page: number) => Promise<void>): Promise<AuditRecord[]> {
  const items: AuditRecord[] = [];
  let cursor: string | undefined;
  for (let page = 1; ; page++) {
    const answer = await get(`${path}${path.includes('?') ? '&' : '?'}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    items.push(...(answer.body.items as AuditRecord[]));
    cursor = answer.body.nextCursor as string | undefined;
    if (cursor === undefined) return items;
    await between?.(page);
  }
}

describe('GET /v1/modules/{module}/downloads', () => {
  it('lists the download history newest first, with every filter', async () => {
    const expected = seeded
      .filter((r) => r.package?.name === 'golang.org/x/crypto' && downloadActions.has(r.event.action) && r.package.version === 'v0.17.0' && r.observer.name === 'rt-us-1' && r.event.outcome === 'success')
      .sort(newestFirst);
    expect(expected.length).toBeGreaterThan(5);
    const first = await get('/v1/modules/golang.org/x/crypto/downloads?version=v0.17.0&proxy=rt-us-1&outcome=success&limit=3');
    conforms(first, '/v1/modules/{module}/downloads');
    expect((first.body.items as AuditRecord[]).map((r) => r.event.id)).toEqual(expected.slice(0, 3).map((r) => r.event.id));
    const all = await allPages('/v1/modules/golang.org%2Fx%2Fcrypto/downloads?version=v0.17.0&proxy=rt-us-1&outcome=success');
    expect(all.map((r) => r.event.id)).toEqual(expected.map((r) => r.event.id));

    const user = 'carol';
    const from = '2026-11-01T06:00:00Z';
    const to = '2026-11-01T18:00:00+00:00';
    const ranged = await allPages(`/v1/modules/golang.org/x/crypto/downloads?user=${user}&host=DEV-0001&from=${from}&to=${encodeURIComponent(to)}`);
    const expectedRanged = seeded.filter(
      (r) => r.package?.name === 'golang.org/x/crypto' && downloadActions.has(r.event.action) && r.user?.name === user && r.host?.name === 'DEV-0001' && r['@timestamp'] >= '2026-11-01T06:00:00.000Z' && r['@timestamp'] < '2026-11-01T18:00:00.000Z',
    );
    expect(ranged.map((r) => r.event.id).sort()).toEqual(expectedRanged.map((r) => r.event.id).sort());
  });

  it('keeps pages consistent while new records arrive: page 1, insert newer records, the rest as of page 1', async () => {
    const path = '/v1/modules/golang.org/x/net/downloads';
    const before = seeded.filter((r) => r.package?.name === 'golang.org/x/net' && downloadActions.has(r.event.action)).sort(newestFirst);
    const arriving: AuditRecord[] = [];
    const beforeFirstPage = new Date(Date.now() - 1000).toISOString();
    // From page 1 on, a writer keeps storing records of the same module, old and new in time, ingested now.
    let writing = true;
    let writer: Promise<void> = Promise.resolve();
    const write = async () => {
      const random = seededRandom(0xbeef);
      while (writing) {
        const batch = Array.from({ length: 25 }, () => {
          const record = download(new Date(Date.parse('2026-11-01T00:00:00Z') + randomInt(random, 0, 60 * 86_400_000)), {
            module: 'golang.org/x/net', version: 'v0.21.0', user: 'writer', host: 'BUILD-07', proxy: 'rt-us-1', action: 'module.zip', outcome: 'success',
          });
          record.event.ingested = new Date().toISOString();
          return record;
        });
        arriving.push(...batch);
        await store(batch);
      }
    };
    const paging = allPages(path, async (page) => {
      if (page === 2) {
        // Ingested before the first page but stored only now (a slow pipeline): the point in time, open since page 2, keeps them out.
        const late = [0, 1, 2, 3, 4].map((i) => {
          const record = download(new Date(Date.parse('2026-11-01T00:00:02Z') + i), { module: 'golang.org/x/net', version: 'v0.16.0', user: 'trent', host: 'DEV-0001', proxy: 'rt-us-1', action: 'module.mod', outcome: 'success' });
          record.event.ingested = beforeFirstPage;
          return record;
        });
        arriving.push(...late);
        await store(late);
        return;
      }
      if (page !== 1) return;
      // Newer and older than anything on page 1, so either would show up on later pages without the point in time.
      const newer: AuditRecord[] = [];
      for (const time of ['2026-12-01T00:00:00Z', '2026-11-01T00:00:01Z', '2026-11-02T12:00:00Z']) {
        for (let i = 0; i < 10; i++) {
          const record = download(new Date(Date.parse(time) + i), { module: 'golang.org/x/net', version: 'v0.17.0', user: 'mallory', host: 'DEV-0002', proxy: 'athens-eu-1', action: 'module.zip', outcome: 'success' });
          // As the pipeline stamps it: ingested now, whatever the record's own time.
          record.event.ingested = new Date().toISOString();
          newer.push(record);
        }
      }
      arriving.push(...newer);
      await store(newer);
      writer = write();
    });
    const paged = await paging.finally(async () => {
      writing = false;
      await writer;
    });
    // 30 at page 1, 5 at page 2, and at least one batch from the writer.
    expect(arriving.length).toBeGreaterThanOrEqual(60);
    expect(paged.map((r) => r.event.id)).toEqual(before.map((r) => r.event.id));
    expect(new Set(paged.map((r) => r.event.id)).size).toBe(paged.length);
    // A new listing sees them.
    const fresh = await allPages(path);
    expect(fresh.length).toBe(before.length + arriving.length);
    seeded.push(...arriving);
  });

  it('refuses a cursor used with other filters, a forged cursor and an oversized page', async () => {
    const first = await get('/v1/modules/golang.org/x/crypto/downloads?limit=2');
    const cursor = encodeURIComponent(first.body.nextCursor as string);
    const other = await get(`/v1/modules/golang.org/x/crypto/downloads?limit=2&user=bob&cursor=${cursor}`);
    expect(other).toMatchObject({ status: 400, body: { code: 'query.invalid_cursor' } });
    conforms(other, '/v1/modules/{module}/downloads');
    expect((await get('/v1/modules/golang.org/x/crypto/downloads?cursor=eyJwIjoieCJ9.AAAA')).status).toBe(400);
    expect((await get('/v1/modules/golang.org/x/crypto/downloads?limit=201')).status).toBe(400);
    expect((await get('/v1/modules/golang.org/x/crypto/downloads?limit=200')).status).toBe(200);
  });
});

describe('a store with no records yet', () => {
  it('answers empty pages and no versions, not an error', async () => {
    const empty = new OpenSearchAuditQuery(storeClient, `api-empty-${run}`, new PageCursors());
    expect(await empty.searchRecords({ module: 'golang.org/x/net' }, { size: 10 })).toEqual({ items: [] });
    expect(await empty.searchAlerts({}, { size: 10 })).toEqual({ items: [] });
    expect(await empty.moduleVersions('golang.org/x/net', {})).toEqual([]);
  });
});

describe('GET /v1/modules/{module}/versions', () => {
  it('aggregates each version: downloads, first and last seen, distinct users and hosts', async () => {
    const answer = await get('/v1/modules/github.com/acme-corp/billing/v2/versions');
    conforms(answer, '/v1/modules/{module}/versions');
    const rows = seeded.filter((r) => r.package?.name === 'github.com/acme-corp/billing/v2' && downloadActions.has(r.event.action) && r.package.version !== undefined);
    const expected = versions
      .map((version) => {
        const mine = rows.filter((r) => r.package!.version === version);
        const times = mine.map((r) => r['@timestamp']).sort();
        return { version, downloads: mine.length, firstSeen: times[0], lastSeen: times.at(-1), distinctUsers: new Set(mine.map((r) => r.user!.name)).size, distinctHosts: new Set(mine.map((r) => r.host!.name)).size };
      })
      .sort((a, b) => (a.lastSeen! < b.lastSeen! ? 1 : -1));
    expect(answer.body).toEqual({ module: 'github.com/acme-corp/billing/v2', versions: expected });
  });
});

describe('GET /v1/records', () => {
  it('searches by dataset, action, rule, severity and outcome', async () => {
    const answer = await allPages('/v1/records?dataset=athens.access&action=module.zip&rule=module.not_allowlisted&minSeverity=3&outcome=failure');
    const expected = seeded.filter(
      (r) => r.event.dataset === 'athens.access' && r.event.action === 'module.zip' && r.rule?.id.includes('module.not_allowlisted') && (r.event.severity ?? 0) >= 3 && r.event.outcome === 'failure',
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(answer.map((r) => r.event.id).sort()).toEqual(expected.map((r) => r.event.id).sort());
    conforms(await get('/v1/records?module=golang.org/x/net&limit=5'), '/v1/records');
  });

  it('treats injection-looking input as a value that matches nothing', async () => {
    for (const user of ['*', '"}},{"match_all":{}}', 'alice OR 1=1', 'ctx._source.user = "x"']) {
      const answer = await get(`/v1/records?user=${encodeURIComponent(user)}`);
      expect(answer, user).toMatchObject({ status: 200, body: { items: [] } });
    }
  });
});

describe('GET /v1/hosts/{host}/goenv', () => {
  it('gives the history, the current settings and the deviations from the baseline', async () => {
    const answer = await get('/v1/hosts/DEV-0042/goenv');
    expect(answer.status).toBe(200);
    conforms(answer, '/v1/hosts/{host}/goenv');
    const body = answer.body as { current: { name: string; value?: string }[]; deviations: unknown[]; baseline: { approvedGoproxy: string[] }; history: { items: AuditRecord[] } };
    expect(body.history.items.map((r) => r.event.action)).toEqual(['goenv.changed', 'goenv.changed', 'goenv.snapshot']);
    expect(body.current).toContainEqual(expect.objectContaining({ name: 'GOSUMDB', value: 'off' }));
    expect(body.current).toContainEqual(expect.objectContaining({ name: 'GOPROXY', value: 'https://proxy.golang.org,direct' }));
    expect(body.baseline.approvedGoproxy).toEqual(['https://goproxy.corp.example.com']);
    expect(body.deviations).toEqual([
      { name: 'GOPROXY', value: 'https://proxy.golang.org,direct', rules: ['goenv.goproxy_unapproved'] },
      { name: 'GOSUMDB', value: 'off', rules: ['goenv.gosumdb_disabled'] },
    ]);
  });
});

describe('GET /v1/alerts', () => {
  it('lists alerts newest first with their delivery status as stored', async () => {
    const answer = await get('/v1/alerts?rule=module.not_allowlisted');
    conforms(answer, '/v1/alerts');
    const items = answer.body.items as { id: string; delivery?: unknown; '@timestamp': string }[];
    expect(items).toHaveLength(5);
    expect(items.map((a) => a['@timestamp'])).toEqual([...items.map((a) => a['@timestamp'])].sort().reverse());
    expect(items.find((a) => a.id === `alert-${run}-0`)!.delivery).toEqual({ 'webhook-sec': { status: 'delivered', attempts: 1 } });
  });
});

describe('audit of the API', () => {
  it('writes every use, refusals included, to the API topic, without the token', async () => {
    const refused = await get('/v1/records', 'ingest');
    expect(refused.status).toBe(403);
    const anonymous = await get('/v1/records', '');
    expect(anonymous.status).toBe(401);
    const ids = [refused.headers.get('x-request-id'), anonymous.headers.get('x-request-id')];
    await auditLog.stop();
    await auditLog.start();
    const messages = await readTopic(kafka, apiTopic, requests, 30_000);
    expect(messages.length).toBe(requests);
    const events = messages.map((m) => JSON.parse(m.value!.toString()) as { request_id: string; status: number; principal?: { subject: string } });
    expect(events.find((e) => e.request_id === ids[0])).toMatchObject({ status: 403, principal: { subject: 'gateway@corp' } });
    expect(events.find((e) => e.request_id === ids[1])).toMatchObject({ status: 401 });
    expect(messages.every((m) => m.headers?.['modtrail-format']?.toString() === 'modtrail-api')).toBe(true);
    const text = messages.map((m) => m.value!.toString()).join('\n');
    for (const token of Object.values(tokens)) expect(text).not.toContain(token.split('.')[2]);
  });
});
