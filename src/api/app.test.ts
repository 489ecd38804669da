import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModtrailError } from '../core/errors.js';
import type { AuditRecord } from '../core/record.js';
import { createNormalizer } from '../normalize/normalizer.js';
import { eventId } from '../normalize/event-id.js';
import { parsers } from '../pipeline/registry.js';
import type { AuditQuery, PageRequest, RecordFilter } from '../store/audit-store.js';
import { createLogger } from '../telemetry/logger.js';
import type { ApiEventV1 } from '../normalize/modtrail-api/api-event.js';
import { createApp } from './app.js';
import { createTokenVerifier } from './auth/token-verifier.js';
import { apiConfigSchema } from './config.js';
import type { IngestProducer } from './ingest/ingest-producer.js';
import { openApiDocument } from './openapi.js';
import { responseProblems } from './testing/openapi-check.js';
import { testIssuer, type TestIssuer } from './testing/test-tokens.js';

const record: AuditRecord = {
  '@timestamp': '2026-11-20T10:00:00.000Z',
  ecs: { version: '8.17.0' },
  event: { id: 'a'.repeat(40), kind: 'event', category: ['web'], type: ['access'], action: 'module.zip', outcome: 'success', dataset: 'athens.access', ingested: '2026-11-20T10:00:01.000Z', original: 'raw' },
  observer: { product: 'athens', type: 'proxy' },
  package: { name: 'golang.org/x/crypto', version: 'v0.17.0', type: 'golang' },
};

/** A fake store that remembers what it was asked and can be told to fail. */
class FakeQuery implements AuditQuery {
  calls: { filter: RecordFilter; page: PageRequest }[] = [];
  fail: unknown;
  async searchRecords(filter: RecordFilter, page: PageRequest) {
    if (this.fail) throw this.fail;
    this.calls.push({ filter, page });
    return { items: [record], nextCursor: 'next' };
  }
  async moduleVersions(module: string, filter: RecordFilter) {
    this.calls.push({ filter: { ...filter, module }, page: { size: 0 } });
    return [{ version: 'v0.17.0', firstSeen: '2026-11-01T00:00:00.000Z', lastSeen: '2026-11-20T00:00:00.000Z', downloads: 3, distinctUsers: 2, distinctHosts: 1 }];
  }
  async searchAlerts() {
    return { items: [] };
  }
}

class FakeProducer implements IngestProducer {
  sent: { topic: string; values: string[]; headers: Record<string, string> }[] = [];
  async append(topic: string, messages: readonly { value: Buffer; headers: Record<string, string> }[]) {
    this.sent.push({ topic, values: messages.map((m) => m.value.toString()), headers: messages[0]!.headers });
    return { topic, partition: 2, baseOffset: 40n };
  }
}

let idp: TestIssuer;
let server: Server;
let base: string;
const query = new FakeQuery();
const producer = new FakeProducer();
const audit: ApiEventV1[] = [];
const config = apiConfigSchema.parse({ limits: { maxPageSize: 100, maxIngestBytes: 2048, maxIngestLines: 5 } });
const document = openApiDocument(config.limits.maxPageSize);
const token: Record<string, string> = {};

beforeAll(async () => {
  idp = await testIssuer();
  const auth = apiConfigSchema.parse({ enabled: true, auth: { issuer: idp.issuer, audience: idp.audience, publicKeys: idp.jwks } }).auth;
  const app = createApp({
    config,
    verifyToken: createTokenVerifier(auth),
    query,
    auditLog: { record: (event) => audit.push(event) },
    logger: createLogger('silent'),
    policy: { data: async () => { throw new Error('unused'); }, judge: async () => [], reload: async () => ({ ok: true, revision: 'rev-1' }) },
    ingest: { producer, topics: { proxy: 'px', agent: 'ag' }, normalize: createNormalizer(parsers, {}) },
    sealJwks: () => ({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'abc', kid: 'seal-1' }] }),
  });
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const role of ['analyst', 'auditor', 'ingest', 'admin']) token[role] = await idp.sign({ sub: `${role}-user`, roles: [role] });
  token.none = await idp.sign({ sub: 'nobody' });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function call(path: string, options: { role?: string; token?: string; method?: string; body?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  const bearer = options.token ?? (options.role ? token[options.role] : undefined);
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const response = await fetch(`${base}${path}`, { method: options.method ?? 'GET', headers, ...(options.body === undefined ? {} : { body: options.body }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) };
}

/** The answer matches what /openapi.json says this operation returns. */
function conforms(answer: Awaited<ReturnType<typeof call>>, template: string, method = 'GET'): void {
  expect(responseProblems(document, template, method, answer.status, answer.headers.get('content-type') ?? '', answer.body)).toEqual([]);
}

describe('authentication and roles', () => {
  it('answers 401 problem+json with WWW-Authenticate without a token, and audits the refusal', async () => {
    const answer = await call('/v1/records?user=bob');
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="modtrail"');
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({ status: 401, code: 'api.unauthorized' });
    conforms(answer, '/v1/records');
    const event = audit.find((e) => e.request_id === answer.headers.get('x-request-id'))!;
    expect(event).toMatchObject({ status: 401, refusal: 'no bearer token', url: '/v1/records?user=bob', route: '/v1/records', method: 'GET' });
    expect(event.principal).toBeUndefined();
  });

  it('answers 401 with error="invalid_token" for a bad token, and never records the token', async () => {
    const bad = `${token.admin!.slice(0, -4)}AAAA`;
    const answer = await call('/v1/records', { token: bad });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const event = audit.find((e) => e.request_id === answer.headers.get('x-request-id'))!;
    expect(event.refusal).toBe('token signature does not verify');
    expect(JSON.stringify(audit)).not.toContain(bad.slice(0, 40));
    expect(JSON.stringify(audit)).not.toContain(token.admin!.slice(0, 40));
  });

  it('answers 403 for the wrong role or no role, and audits who was refused', async () => {
    for (const [role, path, method] of [['ingest', '/v1/records', 'GET'], ['analyst', '/v1/admin/policy/reload', 'POST'], ['none', '/v1/alerts', 'GET'], ['analyst', '/v1/events', 'POST']] as const) {
      const answer = await call(path, { role, method });
      expect(answer.status, `${role} ${path}`).toBe(403);
      expect(answer.body).toMatchObject({ code: 'api.forbidden' });
      conforms(answer, path, method);
      const event = audit.find((e) => e.request_id === answer.headers.get('x-request-id'))!;
      expect(event).toMatchObject({ status: 403, route: path, principal: { subject: `${role === 'none' ? 'nobody' : `${role}-user`}` } });
    }
  });

  it('lets admin do everything, including a policy reload', async () => {
    const answer = await call('/v1/admin/policy/reload', { role: 'admin', method: 'POST' });
    expect(answer).toMatchObject({ status: 200, body: { ok: true, revision: 'rev-1' } });
    conforms(answer, '/v1/admin/policy/reload', 'POST');
    expect((await call('/v1/records', { role: 'admin' })).status).toBe(200);
  });

  it('serves health (not audited), the OpenAPI document and the seal JWKS without a token', async () => {
    const before = audit.length;
    const health = await call('/healthz');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(audit.length).toBe(before);
    const jwks = await call('/.well-known/jwks.json');
    conforms(jwks, '/.well-known/jwks.json');
    expect((await call('/openapi.json')).body).toMatchObject({ openapi: '3.1.0' });
  });
});

describe('reads', () => {
  it('takes module paths with slashes as they are or as %2F, and asks the store for download actions only', async () => {
    for (const path of ['/v1/modules/golang.org/x/crypto/downloads?version=v0.17.0', '/v1/modules/golang.org%2Fx%2Fcrypto/downloads?version=v0.17.0']) {
      query.calls = [];
      const answer = await call(path, { role: 'analyst' });
      expect(answer.status).toBe(200);
      conforms(answer, '/v1/modules/{module}/downloads');
      expect(query.calls[0]!.filter).toMatchObject({ module: 'golang.org/x/crypto', version: 'v0.17.0', actions: expect.arrayContaining(['module.zip']) });
      expect(query.calls[0]!.page).toEqual({ size: config.limits.defaultPageSize });
    }
    const versions = await call('/v1/modules/github.com/acme-corp/lib/v2/versions?from=2026-11-01T00:00:00Z', { role: 'auditor' });
    conforms(versions, '/v1/modules/{module}/versions');
    expect(versions.body).toMatchObject({ module: 'github.com/acme-corp/lib/v2', versions: [{ version: 'v0.17.0', distinctUsers: 2 }] });
  });

  it('passes typed filters and the cursor to the store', async () => {
    query.calls = [];
    const answer = await call('/v1/records?dataset=athens.access&action=module.zip&rule=module.denied&minSeverity=3&outcome=failure&limit=7&cursor=abc', { role: 'analyst' });
    conforms(answer, '/v1/records');
    expect(query.calls[0]).toEqual({
      filter: { dataset: 'athens.access', actions: ['module.zip'], ruleId: 'module.denied', minSeverity: 3, outcome: 'failure' },
      page: { size: 7, cursor: 'abc' },
    });
  });

  it('answers hostile input with 400 problem+json naming the parameter, never 500', async () => {
    const cases: [string, RegExp][] = [
      ['/v1/records?limit=100000', /limit/],
      ['/v1/records?limit=-1', /limit/],
      ['/v1/records?limit=abc', /limit/],
      ['/v1/records?sort=_score', /unknown parameter\(s\): sort/],
      ['/v1/records?user=a&user=b', /user/],
      ['/v1/records?from=yesterday', /from/],
      ['/v1/records?outcome=maybe', /outcome/],
      [`/v1/records?user=${'x'.repeat(600)}`, /user/],
      ['/v1/records?__proto__=x', /unknown parameter/],
      ['/v1/modules/..%2F..%2Fetc/downloads', /module/],
      ['/v1/modules/%E0%A4%A/downloads', /./],
      ['/v1/hosts/a%20b/goenv', /host/],
    ];
    for (const [path, detail] of cases) {
      const answer = await call(path, { role: 'analyst' });
      expect(answer.status, path).toBe(400);
      expect(answer.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
      expect(String(answer.body!.detail), path).toMatch(detail);
    }
    conforms(await call('/v1/records?limit=100000', { role: 'analyst' }), '/v1/records');
  });

  it('hands injection-looking strings to the store as plain values', async () => {
    query.calls = [];
    const sneaky = '"}},{"match_all":{}},{"x":"*';
    const answer = await call(`/v1/records?user=${encodeURIComponent(sneaky)}&module=${encodeURIComponent('ctx._source.x=1')}`, { role: 'analyst' });
    expect(answer.status).toBe(200);
    expect(query.calls[0]!.filter).toMatchObject({ user: sneaky, module: 'ctx._source.x=1' });
  });

  it('maps store errors: a bad cursor is 400, an expired one 410, an unreachable store 503', async () => {
    query.fail = new ModtrailError('query.invalid_cursor', 'cursor is not valid: not a cursor');
    expect(await call('/v1/records?cursor=zzz', { role: 'analyst' })).toMatchObject({ status: 400, body: { code: 'query.invalid_cursor' } });
    query.fail = new ModtrailError('query.cursor_expired', 'expired');
    const expired = await call('/v1/records?cursor=zzz', { role: 'analyst' });
    expect(expired).toMatchObject({ status: 410 });
    conforms(expired, '/v1/records');
    query.fail = Object.assign(new Error('connect ECONNREFUSED'), { name: 'ConnectionError' });
    expect(await call('/v1/records', { role: 'analyst' })).toMatchObject({ status: 503, body: { code: 'store.unavailable' } });
    query.fail = new Error('boom with internal details');
    const internal = await call('/v1/records', { role: 'analyst' });
    expect(internal).toMatchObject({ status: 500, body: { code: 'api.internal' } });
    expect(JSON.stringify(internal.body)).not.toContain('internal details');
    query.fail = undefined;
  });

  it('answers unknown routes with a 404 problem', async () => {
    expect(await call('/v1/nothing-here', { role: 'analyst' })).toMatchObject({ status: 404, body: { code: 'api.not_found' } });
  });
});

describe('POST /v1/events', () => {
  const agentLine = JSON.stringify({
    schema: 'modtrail.agent/v1', kind: 'goenv.change', event_id: '0b8e4d2a-6f1c-4e3b-9a75-2d1c0e9f8a76', time: '2026-11-24T09:00:00Z',
    host: { name: 'DEV-1', os: 'linux' }, user: { name: 'jdoe' }, scope: 'machine', mechanism: 'gpo',
    agent: { name: 'modtrail-agent', version: '1.0.0', id: 'b2f1c0de-0042-4a11-9d3e-5c6b7a8f9e01' }, name: 'GOSUMDB', value: 'off', previous_value: 'sum.golang.org',
  });

  it('produces every line and answers 202 with the id each will be stored under, or why it will be dead-lettered', async () => {
    producer.sent = [];
    const answer = await call('/v1/events', { role: 'ingest', method: 'POST', body: `${agentLine}\n\nnot json\r\n`, headers: { 'content-type': 'application/x-ndjson', 'modtrail-observer': 'gw-1' } });
    expect(answer.status).toBe(202);
    conforms(answer, '/v1/events', 'POST');
    expect(producer.sent).toEqual([{ topic: 'ag', values: [agentLine, 'not json'], headers: { 'modtrail-format': 'agent', 'modtrail-observer': 'gw-1' } }]);
    expect(answer.body).toMatchObject({ topic: 'ag', partition: 2, accepted: 1, rejected: 1 });
    const [first, second] = answer.body!.results as Record<string, unknown>[];
    expect(first).toEqual({ line: 1, status: 'accepted', offset: '40', id: eventId({ topic: 'ag', partition: 2, offset: '40' }, agentLine) });
    expect(second).toMatchObject({ line: 3, status: 'rejected', offset: '41', code: 'parse.malformed' });
  });

  it('answers 503 and accepts nothing when Kafka does not acknowledge', async () => {
    const append = producer.append;
    producer.append = async () => {
      throw new Error('KafkaJSNumberOfRetriesExceeded');
    };
    const answer = await call('/v1/events', { role: 'ingest', method: 'POST', body: agentLine, headers: { 'content-type': 'application/x-ndjson' } });
    producer.append = append;
    expect(answer).toMatchObject({ status: 503, body: { code: 'source.unavailable' } });
    conforms(answer, '/v1/events', 'POST');
  });

  it('sends proxy formats to the proxy topic', async () => {
    producer.sent = [];
    const line = 'INFO[7:39AM]: incoming request\thttp-method=GET http-path=/golang.org/x/text/@v/v0.14.0.zip http-status=200 request-id=req-1';
    const answer = await call('/v1/events', { role: 'ingest', method: 'POST', body: line, headers: { 'content-type': 'text/plain', 'modtrail-format': 'athens' } });
    expect(answer).toMatchObject({ status: 202, body: { topic: 'px', accepted: 1 } });
  });

  it('refuses what it cannot take: 415, 413 (bytes and lines), 400 (empty, bad or forbidden format)', async () => {
    const post = (body: string, headers: Record<string, string>) => call('/v1/events', { role: 'ingest', method: 'POST', body, headers });
    const ndjson = { 'content-type': 'application/x-ndjson' };
    expect((await post(agentLine, { 'content-type': 'application/xml' })).status).toBe(415);
    const tooBig = await post('x'.repeat(4096), ndjson);
    expect(tooBig).toMatchObject({ status: 413, body: { code: 'api.payload_too_large' } });
    conforms(tooBig, '/v1/events', 'POST');
    expect((await post('a\nb\nc\nd\ne\nf', ndjson)).status).toBe(413);
    expect((await post('\n\n', ndjson)).status).toBe(400);
    expect((await post(agentLine, { ...ndjson, 'modtrail-format': 'modtrail-api' })).status).toBe(400);
    expect((await post(agentLine, { ...ndjson, 'modtrail-observer': 'bad name with spaces' })).status).toBe(400);
  });
});

describe('the OpenAPI document', () => {
  it('documents every route the app serves and the app serves every documented route', async () => {
    const documented = Object.entries((document as { paths: Record<string, object> }).paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => [method.toUpperCase(), path.replace('{module}', 'golang.org/x/text').replace('{host}', 'DEV-1')] as const),
    );
    expect(documented.length).toBe(14);
    // Exports are served only when the service runs them (not configured in this app).
    for (const [method, path] of documented.filter(([, path]) => !path.startsWith('/v1/exports'))) {
      const answer = await call(path, { role: 'admin', method, ...(method === 'POST' && path === '/v1/events' ? { body: 'x', headers: { 'content-type': 'text/plain' } } : {}) });
      expect(answer.status, `${method} ${path}`).not.toBe(404);
    }
  });
});
