// POST /v1/events through `modtrail serve`'s own wiring against the real Kafka and OpenSearch: an ingested line
// ends as a stored record under the id the API answered, a bad one as a dead letter, and every API use,
// refusals included, as a stored modtrail.api record.
import { randomUUID } from 'node:crypto';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testIssuer, type TestIssuer } from '../../src/api/testing/test-tokens.js';
import { configSchema } from '../../src/config/schema.js';
import type { AuditRecord } from '../../src/core/record.js';
import { buildService, type Service } from '../../src/pipeline/build.js';
import { deadLetterHeaders } from '../../src/sinks/dead-letter/kafka-dead-letter-sink.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { removeTestData } from '../support/cleanup.js';
import { eventually, readTopic, testKafka } from '../support/kafka-topics.js';

const run = randomUUID().slice(0, 8);
const topics = { proxy: `proxy-${run}`, agent: `agent-${run}`, deadLetter: `deadletter-${run}`, api: `api-${run}` };
const indexPrefix = `api-ingest-${run}`;
const kafka = testKafka(inject('kafkaBrokers'));
const opensearch = new Client({ node: inject('opensearchUrl') });
let idp: TestIssuer;
let service: Service;
let base: string;
const tokens: Record<string, string> = {};

const agentLine = (host: string, value: string) =>
  JSON.stringify({
    schema: 'modtrail.agent/v1',
    kind: 'goenv.change',
    event_id: randomUUID(),
    time: '2026-11-24T09:30:15Z',
    host: { name: host, os: 'windows' },
    user: { name: 'jdoe', domain: 'CORP' },
    scope: 'machine',
    mechanism: 'gpo',
    managed_by: 'gpo',
    agent: { name: 'modtrail-agent', version: '1.0.0', id: 'b2f1c0de-0042-4a11-9d3e-5c6b7a8f9e01' },
    name: 'GOSUMDB',
    value,
    previous_value: 'sum.golang.org',
  });

async function storedById(id: string): Promise<AuditRecord | undefined> {
  await opensearch.indices.refresh({ index: `${indexPrefix}-audit*` }).catch(() => undefined);
  const { body } = await opensearch.search({ index: `${indexPrefix}-audit`, body: { query: { term: { 'event.id': id } } } }).catch(() => ({ body: { hits: { hits: [] } } }));
  return (body.hits.hits as { _source: AuditRecord }[])[0]?._source;
}

async function storedApiRecord(requestId: string): Promise<AuditRecord | undefined> {
  await opensearch.indices.refresh({ index: `${indexPrefix}-audit*` }).catch(() => undefined);
  const { body } = await opensearch
    .search({ index: `${indexPrefix}-audit`, body: { query: { bool: { filter: [{ term: { 'event.dataset': 'modtrail.api' } }, { term: { 'trace.id': requestId } }] } } } })
    .catch(() => ({ body: { hits: { hits: [] } } }));
  return (body.hits.hits as { _source: AuditRecord }[])[0]?._source;
}

async function post(body: string, role: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${tokens[role]}`, 'content-type': 'application/x-ndjson', ...headers }, body });
  return { status: response.status, requestId: response.headers.get('x-request-id')!, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  idp = await testIssuer();
  const config = configSchema.parse({
    log: { level: 'warn' },
    kafka: { brokers: inject('kafkaBrokers'), groupId: `modtrail-${run}`, topics, topicFormats: {} },
    opensearch: { node: inject('opensearchUrl'), indexPrefix },
    metrics: { port: 0 },
    api: { enabled: true, host: '127.0.0.1', port: 0, auth: { issuer: idp.issuer, audience: idp.audience, publicKeys: idp.jwks, rolesClaim: 'realm_access.roles' } },
  });
  service = buildService(config, createLogger('warn'), { initialDelayMs: 50, maxDelayMs: 500, maxElapsedMs: 20_000, multiplier: 2 });
  await service.start();
  base = `http://127.0.0.1:${service.apiPort()}`;
  tokens.ingest = await idp.sign({ sub: 'gateway@corp', realm_access: { roles: ['ingest'] } });
  tokens.analyst = await idp.sign({ sub: 'analyst@corp', realm_access: { roles: ['analyst'] } });
});

afterAll(async () => {
  await service?.stop();
  await removeTestData({ kafka, topics: Object.values(topics), opensearch, indexPrefix });
  await opensearch.close();
});

describe('POST /v1/events through the pipeline', () => {
  it('stores each accepted line under the id the API answered, and dead-letters the bad one', async () => {
    const lines = [agentLine('DEV-0101', 'off'), '{"schema":"modtrail.agent/v1","kind":"goenv.change"}', agentLine('DEV-0102', 'sum.golang.org')];
    const answer = await post(`${lines.join('\n')}\n`, 'ingest', { 'modtrail-observer': 'gateway-eu' });
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ topic: topics.agent, accepted: 2, rejected: 1 });
    const results = answer.body.results as { line: number; status: string; id?: string; offset: string; code?: string }[];
    expect(results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'accepted']);

    for (const [i, host] of [[0, 'DEV-0101'], [2, 'DEV-0102']] as const) {
      const record = await eventually(() => storedById(results[i]!.id!), (r) => r !== undefined);
      expect(record!.host?.name).toBe(host);
      expect(record!.event.original).toBe(lines[i]);
      expect(record!.observer.name).toBe('gateway-eu');
      expect(record!.modtrail?.origin).toEqual({ topic: topics.agent, partition: answer.body.partition, offset: results[i]!.offset });
    }
    // The policy judged it like any other record: GOSUMDB=off breaks the baseline.
    expect((await storedById(results[0]!.id!))!.rule?.id).toContain('goenv.gosumdb_disabled');

    const letters = await readTopic(kafka, topics.deadLetter, 1);
    expect(letters).toHaveLength(1);
    const headers = letters[0]!.headers!;
    expect(letters[0]!.value!.toString()).toBe(lines[1]);
    expect(headers[deadLetterHeaders.offset]!.toString()).toBe(results[1]!.offset);
    expect(headers[deadLetterHeaders.topic]!.toString()).toBe(topics.agent);
    expect(headers[deadLetterHeaders.code]!.toString()).toBe(results[1]!.code);
  });

  it('takes proxy lines with a format header onto the proxy topic', async () => {
    const line = JSON.stringify({ 'http-method': 'GET', 'http-path': '/golang.org/x/text/@v/v0.14.0.zip', 'http-status': 200, level: 'info', msg: 'incoming request', 'request-id': `req-${run}`, time: '2026-11-24T08:00:00Z' });
    const answer = await post(line, 'ingest', { 'modtrail-format': 'athens' });
    expect(answer.body).toMatchObject({ topic: topics.proxy, accepted: 1 });
    const id = (answer.body.results as { id: string }[])[0]!.id;
    const record = await eventually(() => storedById(id), (r) => r !== undefined);
    expect(record!.package).toEqual({ name: 'golang.org/x/text', version: 'v0.14.0', type: 'golang' });
  });

  it('audits the auditors: each API use, and each refusal, becomes a stored modtrail.api record without the token', async () => {
    const accepted = await post(agentLine('DEV-0103', 'off'), 'ingest');
    const refused = await post(agentLine('DEV-0104', 'off'), 'analyst');
    expect(refused.status).toBe(403);
    const read = await fetch(`${base}/v1/records?user=jdoe&limit=1`, { headers: { authorization: `Bearer ${tokens.analyst}` } });
    expect(read.status).toBe(200);

    const ingestRecord = await eventually(() => storedApiRecord(accepted.requestId), (r) => r !== undefined);
    expect(ingestRecord).toMatchObject({ user: { name: 'gateway@corp', domain: idp.issuer }, http: { request: { method: 'POST' }, response: { status_code: 202 } }, event: { action: 'api.request', outcome: 'success' } });
    const refusedRecord = await eventually(() => storedApiRecord(refused.requestId), (r) => r !== undefined);
    expect(refusedRecord).toMatchObject({ user: { name: 'analyst@corp' }, event: { action: 'api.refused', outcome: 'failure', type: ['access', 'denied'] }, http: { response: { status_code: 403 } } });
    const readRecord = await eventually(() => storedApiRecord(read.headers.get('x-request-id')!), (r) => r !== undefined);
    expect(readRecord!.url).toEqual({ path: '/v1/records', original: '/v1/records?user=jdoe&limit=1' });
    for (const record of [ingestRecord!, refusedRecord!, readRecord!]) {
      for (const token of Object.values(tokens)) expect(JSON.stringify(record)).not.toContain(token.split('.')[2]);
    }
  });
});
