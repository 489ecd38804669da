// The walking skeleton end to end: real Kafka → normalize → OPA WASM → real OpenSearch, dead letters, a real webhook.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { configSchema, type Config } from '../../src/config/schema.js';
import type { AuditRecord } from '../../src/core/record.js';
import { buildService, type Service } from '../../src/pipeline/build.js';
import { deadLetterHeaders } from '../../src/sinks/dead-letter/kafka-dead-letter-sink.js';
import { verify } from '../../src/sinks/webhook/signature.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { committedTotal, eventually, produce, readTopic, testKafka } from '../support/kafka-topics.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';
import { removeTestData } from '../support/cleanup.js';
import { temporarySealKeyFile } from '../support/seal-keys.js';

const run = randomUUID().slice(0, 8);
const topics = { proxy: `proxy-${run}`, agent: `agent-${run}`, deadLetter: `deadletter-${run}` };
const groupId = `modtrail-${run}`;
const indexPrefix = `skeleton-${run}`;
const secret = `whsec_${Buffer.from(`test-secret-${run}`).toString('base64')}`;
const revision = (JSON.parse(readFileSync('policies/bundle/manifest.json', 'utf8')) as { revision: string }).revision;

const lines = {
  allowedZip: 'INFO[7:39AM]: incoming request\thttp-method=GET http-path=/golang.org/x/text/@v/v0.14.0.zip http-status=200 request-id=req-1',
  forbiddenZip: JSON.stringify({
    'http-method': 'GET',
    'http-path': '/github.com/unvetted-org/lib/@v/v1.2.3.zip',
    'http-status': 200,
    level: 'info',
    msg: 'incoming request',
    'request-id': 'req-2',
    time: '2026-11-24T08:00:00Z',
  }),
  forbiddenList: JSON.stringify({
    time: '2026-11-24T08:00:01.500Z',
    level: 'INFO',
    msg: 'incoming request',
    'http-method': 'GET',
    'http-path': '/github.com/unvetted-org/lib/@v/list',
    'http-status': 200,
    'request-id': 'req-3',
  }),
  garbage: 'this is not an athens line',
  proxyError: JSON.stringify({ level: 'error', msg: 'cannot reach upstream', time: '2026-11-24T08:00:02Z' }),
};

const kafka = testKafka(inject('kafkaBrokers'));
const opensearch = new Client({ node: inject('opensearchUrl') });
const receiver = new WebhookReceiver();
let config: Config;
let sealKeys: { file: string; remove: () => void };

function start(): Service {
  const service = buildService(config, createLogger('warn'), { initialDelayMs: 50, maxDelayMs: 500, maxElapsedMs: 20_000, multiplier: 2 });
  return service;
}

async function storedRecords(): Promise<AuditRecord[]> {
  await opensearch.indices.refresh({ index: `${indexPrefix}-*` });
  const response = await opensearch.search({ index: `${indexPrefix}-audit`, body: { size: 100, sort: [{ '@timestamp': 'asc' }] } });
  return (response.body.hits.hits as { _source: AuditRecord }[]).map((hit) => hit._source);
}

async function storedAlertCount(): Promise<number> {
  await opensearch.indices.refresh({ index: `${indexPrefix}-*` });
  const response = await opensearch.count({ index: `${indexPrefix}-alerts` });
  return response.body.count;
}

describe('walking skeleton: Kafka → normalize → evaluate → OpenSearch → webhook', () => {
  beforeAll(async () => {
    const url = await receiver.start();
    sealKeys = await temporarySealKeyFile();
    config = configSchema.parse({
      log: { level: 'warn' },
      kafka: { brokers: inject('kafkaBrokers'), groupId, topics, topicFormats: { [topics.proxy]: 'athens' } },
      opensearch: { node: inject('opensearchUrl'), indexPrefix },
      alerts: { webhook: { url, secret } },
      metrics: { port: 0 },
      // Offsets are committed once sealed: a short cadence keeps the test quick.
      integrity: { keys: { file: sealKeys.file }, sealEveryMs: 200 },
    });
  });

  afterAll(async () => {
    await receiver.stop();
    sealKeys.remove();
    await removeTestData({ kafka, topics: Object.values(topics), opensearch, indexPrefix });
    await opensearch.close();
  });

  it('stores every good line, dead-letters the bad one, alerts once, and commits only what is settled', async () => {
    const service = start();
    await service.start();
    await produce(kafka, topics.proxy, [
      { value: lines.allowedZip, headers: { 'modtrail-observer': 'athens-eu-1' } },
      { value: lines.forbiddenZip },
      { value: lines.forbiddenList },
      { value: lines.garbage },
      { value: lines.proxyError },
    ]);
    await eventually(() => committedTotal(kafka, groupId, topics.proxy), (total) => total === 5);
    const metrics = await (await fetch(`http://127.0.0.1:${service.metricsPort()}/metrics`)).text();
    await service.stop();

    // Consumed, stored and dead-lettered events are counted by stage and reason.
    expect(metrics).toContain(`modtrail_events_consumed_total{topic="${topics.proxy}"} 5`);
    expect(metrics).toContain('modtrail_records_stored_total{dataset="athens.access"} 3');
    expect(metrics).toContain('modtrail_records_stored_total{dataset="athens.log"} 1');
    expect(metrics).toMatch(/modtrail_dead_letters_total\{stage="normalize",code="parse\.[a-z_]+"\} 1/);
    expect(metrics).toContain('modtrail_alerts_raised_total{rule="module.not_allowlisted"} 1');

    // Every good line is a stored record with ECS fields and the policy's decision.
    const records = await storedRecords();
    expect(records).toHaveLength(4);
    const byTrace = new Map(records.map((r) => [r.trace?.id ?? r.event.action, r]));
    const allowed = byTrace.get('req-1')!;
    expect(allowed.event.action).toBe('module.zip');
    expect(allowed.package).toEqual({ name: 'golang.org/x/text', version: 'v0.14.0', type: 'golang' });
    expect(allowed.observer.name).toBe('athens-eu-1');
    expect(allowed.rule?.id).toEqual([]);
    expect(allowed.modtrail?.alert).toBe(false);
    expect(allowed.event.original).toBe(lines.allowedZip);

    const forbidden = byTrace.get('req-2')!;
    expect(forbidden['@timestamp']).toBe('2026-11-24T08:00:00.000Z');
    expect(forbidden.package?.name).toBe('github.com/unvetted-org/lib');
    expect(forbidden.rule).toMatchObject({ id: ['module.not_allowlisted'], ruleset: 'modtrail', version: revision });
    expect(forbidden.event.severity).toBeGreaterThanOrEqual(3);
    expect(forbidden.modtrail?.alert).toBe(true);

    const listing = byTrace.get('req-3')!;
    expect(listing.event.action).toBe('module.list');
    expect(listing.modtrail?.alert).toBe(false);

    const proxyLog = records.find((r) => r.event.dataset === 'athens.log')!;
    expect(proxyLog.event.action).toBe('proxy.log');
    expect(proxyLog.package).toBeUndefined();

    // The bad line is a dead letter with its original bytes, its origin and the reason.
    const [letter, ...more] = await readTopic(kafka, topics.deadLetter, 1);
    expect(more).toHaveLength(0);
    expect(letter!.value?.toString()).toBe(lines.garbage);
    expect(letter!.headers?.[deadLetterHeaders.topic]?.toString()).toBe(topics.proxy);
    expect(letter!.headers?.[deadLetterHeaders.offset]?.toString()).toBe('3');
    expect(letter!.headers?.[deadLetterHeaders.stage]?.toString()).toBe('normalize');
    expect(letter!.headers?.[deadLetterHeaders.reason]?.toString().length).toBeGreaterThan(0);

    // Exactly one alert: stored first, then delivered to the webhook, signed.
    expect(await storedAlertCount()).toBe(1);
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    const signature = String(request!.headers['webhook-signature']);
    expect(verify(secret, String(request!.headers['webhook-id']), Number(request!.headers['webhook-timestamp']), request!.body, signature)).toBe(true);
    const payload = JSON.parse(request!.body) as { type: string; data: { rule: { id: string[] }; record: { module: string; version: string; id: string } } };
    expect(payload.type).toBe('modtrail.alert');
    expect(payload.data.rule.id).toEqual(['module.not_allowlisted']);
    expect(payload.data.record).toMatchObject({ module: 'github.com/unvetted-org/lib', version: 'v1.2.3', id: forbidden.event.id });
  });

  it('replaying the same messages yields no second record, alert or notification', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.resetOffsets({ groupId, topic: topics.proxy, earliest: true });
    await admin.disconnect();
    expect(await committedTotal(kafka, groupId, topics.proxy)).toBe(0);

    const service = start();
    await service.start();
    await eventually(() => committedTotal(kafka, groupId, topics.proxy), (total) => total === 5);
    await service.stop();

    expect(await storedRecords()).toHaveLength(4);
    expect(await storedAlertCount()).toBe(1);
    expect(receiver.requests).toHaveLength(1);
  });
});
