// Write blocks and retention against the real OpenSearch and Kafka: old days are closed to writes, a late record for a
// closed day ends as a dead letter naming the index, and each deletion past retention goes through Kafka and the
// service as an event of its own, stored and sealed before the index goes, so `modtrail verify` finds it clean.
import { randomUUID } from 'node:crypto';
import { Client } from '@opensearch-project/opensearch';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verify } from '../../src/cli/verify.js';
import { configSchema } from '../../src/config/schema.js';
import type { AuditRecord } from '../../src/core/record.js';
import { buildService } from '../../src/pipeline/build.js';
import { deadLetterHeaders } from '../../src/sinks/dead-letter/kafka-dead-letter-sink.js';
import { OpenSearchSink } from '../../src/sinks/opensearch/opensearch-sink.js';
import { createOpenSearchClient } from '../../src/store/opensearch/client.js';
import { storeConfigSchema } from '../../src/store/opensearch/index-lifecycle-config.js';
import { IndexLifecycle } from '../../src/store/opensearch/index-lifecycle.js';
import { KafkaLifecycleLog } from '../../src/store/opensearch/index-lifecycle-log.js';
import { OpenSearchRetentionRecords } from '../../src/store/opensearch/index-lifecycle-records.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { removeTestData } from '../support/cleanup.js';
import { committedTotal, eventually, produce, readTopic, testKafka } from '../support/kafka-topics.js';
import { minimalRecord } from '../support/sample-record.js';
import { temporarySealKeyFile } from '../support/seal-keys.js';

const run = randomUUID().slice(0, 8);
const prefix = `life-${run}`;
const topics = { proxy: `life-proxy-${run}`, agent: `life-agent-${run}`, deadLetter: `life-dlq-${run}`, api: `life-api-${run}` };
// The retention service runs on topics of its own, so its seal chains start at offset 0 and hold nothing else.
const retentionTopics = { proxy: `life-r-proxy-${run}`, agent: `life-r-agent-${run}`, deadLetter: `life-r-dlq-${run}`, api: `life-r-api-${run}` };
const url = inject('opensearchUrl');
const client = new Client({ node: url });
const kafka = testKafka(inject('kafkaBrokers'));
const storeClient = createOpenSearchClient({ node: url, indexPrefix: prefix, requestTimeoutMs: 10_000 });
const sink = new OpenSearchSink(storeClient, prefix);

const day = (offsetDays: number): string => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const dotted = (isoDay: string): string => isoDay.replaceAll('-', '.');
const record = (id: string, timestamp: string): AuditRecord => ({
  ...minimalRecord,
  '@timestamp': timestamp,
  event: { ...minimalRecord.event, id: id.padEnd(40, '0') },
});

const old = `${prefix}-audit-2020.01.01`;
const oldAlerts = `${prefix}-alerts-2020.01.02`;
const withinGrace = `${prefix}-audit-${dotted(day(-3))}`;
const today = `${prefix}-audit-${dotted(day(0))}`;
const notOurs = [`${prefix}-audit-2020.01.01-restored`, `${prefix}-notes-2020.01.01`];

async function blocked(index: string): Promise<boolean> {
  const { body } = await client.indices.getSettings({ index, flat_settings: true });
  return String((body as Record<string, { settings: Record<string, unknown> }>)[index]!.settings['index.blocks.write']) === 'true';
}

const lifecycle = (store: object): IndexLifecycle =>
  new IndexLifecycle({
    client: storeClient,
    indexPrefix: prefix,
    config: storeConfigSchema.parse(store),
    events: new KafkaLifecycleLog(kafka, topics.api),
    records: new OpenSearchRetentionRecords(storeClient, prefix),
    logger: createLogger('silent'),
    actor: 'lifecycle-test',
  });

describe('storage lifecycle against the real OpenSearch', () => {
  beforeAll(async () => {
    await sink.start();
    const settled = await sink.write([
      record('a1', '2020-01-01T10:00:00.000Z'),
      record('a2', '2020-01-01T11:00:00.000Z'),
      record('b1', `${day(-3)}T10:00:00.000Z`),
      record('c1', new Date().toISOString()),
    ]);
    expect(settled.every((s) => s.status === 'delivered')).toBe(true);
    await client.index({ index: oldAlerts, id: 'x1', body: { '@timestamp': '2020-01-02T00:00:00Z' } });
    for (const index of notOurs) await client.indices.create({ index });
  });

  afterAll(async () => {
    await removeTestData({ kafka, topics: [...Object.values(topics), ...Object.values(retentionTopics)], opensearch: client, indexPrefix: prefix });
    await storeClient.close();
    await client.close();
  });

  it("write-blocks only modtrail's daily indices past the grace period, and keeps expired ones while deleteExpired is off", async () => {
    const report = await lifecycle({ retention: { days: 1000 } }).sweep();
    expect(report.failures).toEqual([]);
    expect([...report.writeBlocked].sort()).toEqual([oldAlerts, old].sort());
    expect([...report.expired].sort()).toEqual([oldAlerts, old].sort());
    expect(report.deleted).toEqual([]);
    expect(await blocked(old)).toBe(true);
    expect(await blocked(oldAlerts)).toBe(true);
    for (const index of [withinGrace, today, ...notOurs]) expect(await blocked(index), index).toBe(false);
    expect((await client.indices.exists({ index: old })).body).toBe(true);

    expect((await lifecycle({ retention: { days: 1000 } }).sweep()).writeBlocked).toEqual([]);
  });

  it('settles a late record for a blocked day as store.index_closed naming the index, and a replay of a stored one as a duplicate', async () => {
    const [replay, late, fresh] = await sink.write([
      record('a1', '2020-01-01T10:00:00.000Z'),
      record('a3', '2020-01-01T12:00:00.000Z'),
      record('c2', new Date().toISOString()),
    ]);
    expect(replay).toEqual({ status: 'delivered', duplicate: true });
    expect(late).toMatchObject({ status: 'rejected', code: 'store.index_closed' });
    expect((late as { reason: string }).reason).toContain(old);
    expect((late as { reason: string }).reason).toMatch(/403 cluster_block_exception/);
    expect(fresh).toEqual({ status: 'delivered' });
    await client.indices.refresh({ index: old });
    expect((await client.count({ index: old })).body.count).toBe(2);
  });

  it('through the service, a late event for a blocked day ends on the dead-letter topic with the reason, and its offset is committed', async () => {
    const groupId = `life-${run}`;
    const config = configSchema.parse({
      kafka: { brokers: inject('kafkaBrokers'), groupId, topics, topicFormats: { [topics.proxy]: 'athens' } },
      opensearch: { node: url, indexPrefix: prefix, requestTimeoutMs: 10_000 },
      store: { retention: { days: 1000 } },
      metrics: { enabled: false },
    });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: Object.values(topics).map((topic) => ({ topic })), waitForLeaders: true });
    await admin.disconnect();
    const service = buildService(config, createLogger('silent'), { initialDelayMs: 50, maxDelayMs: 500, maxElapsedMs: 10_000, multiplier: 2 });
    await service.start();
    const athens = (time: string, id: string): string =>
      JSON.stringify({ time, level: 'INFO', msg: 'incoming request', 'http-method': 'GET', 'http-path': '/golang.org/x/text/@v/v0.14.0.zip', 'http-status': 200, 'request-id': id });
    await produce(kafka, topics.proxy, [{ value: athens('2020-01-01T13:00:00Z', 'late-1') }, { value: athens(new Date().toISOString(), 'now-1') }]);
    try {
      await eventually(() => committedTotal(kafka, groupId, topics.proxy), (total) => total === 2, 60_000);
    } finally {
      await service.stop();
    }
    const [letter] = await readTopic(kafka, topics.deadLetter, 1, 20_000);
    expect(letter?.headers?.[deadLetterHeaders.code]?.toString()).toBe('store.index_closed');
    expect(letter?.headers?.[deadLetterHeaders.stage]?.toString()).toBe('store');
    expect(letter?.headers?.[deadLetterHeaders.reason]?.toString()).toContain(old);
    expect(letter?.value?.toString()).toContain('late-1');
    await client.indices.refresh({ index: `${prefix}-audit` });
    const stored = async (traceId: string): Promise<number> =>
      (await client.count({ index: `${prefix}-audit`, body: { query: { term: { 'trace.id': traceId } } } })).body.count as number;
    expect(await stored('now-1')).toBe(1);
    expect(await stored('late-1')).toBe(0);
  });

  it('with deleteExpired, the service produces each deletion to Kafka, stores and seals its record, then deletes exactly the expired daily indices; verify is clean', async () => {
    const keys = await temporarySealKeyFile('retention');
    const groupId = `life-r-${run}`;
    const config = configSchema.parse({
      kafka: { brokers: inject('kafkaBrokers'), groupId, topics: retentionTopics, sessionTimeoutMs: 6000 },
      opensearch: { node: url, indexPrefix: prefix, requestTimeoutMs: 10_000 },
      store: { retention: { days: 1000, deleteExpired: true, recordTimeoutSeconds: 90 } },
      integrity: { keys: { file: keys.file }, sealEveryMs: 300, sealEveryRecords: 4 },
      metrics: { enabled: false },
    });
    const from = new Date();
    const service = buildService(config, createLogger('silent'), { initialDelayMs: 50, maxDelayMs: 500, maxElapsedMs: 10_000, multiplier: 2 });
    const gone = async (): Promise<boolean> =>
      !(await client.indices.exists({ index: old })).body && !(await client.indices.exists({ index: oldAlerts })).body;
    try {
      await service.start();
      await eventually(gone, (done) => done, 90_000);
      // Commits follow seals: both records committed on the API topic means both are sealed.
      await eventually(() => committedTotal(kafka, groupId, retentionTopics.api), (total) => total === 2, 60_000);
    } finally {
      await service.stop();
    }
    const to = new Date();
    for (const index of [withinGrace, today, ...notOurs]) expect((await client.indices.exists({ index })).body, index).toBe(true);

    await client.indices.refresh({ index: `${prefix}-audit` });
    const { body } = await client.search({ index: `${prefix}-audit`, body: { size: 10, query: { term: { 'event.dataset': 'modtrail.retention' } } } });
    const records = (body.hits.hits as { _source: AuditRecord }[]).map((hit) => hit._source);
    const events = records.map((r) => JSON.parse(r.event.original) as { schema: string; index: { name: string; uuid: string; documents: number }; setting: object; actor: string });
    expect(events.map((e) => [e.index.name, e.index.documents]).sort()).toEqual([[oldAlerts, 1], [old, 2]].sort());
    expect(events.every((e) => e.schema === 'modtrail.lifecycle/v1')).toBe(true);
    expect(events[0]!.setting).toEqual({ 'store.retention.days': 1000, 'store.retention.deleteExpired': true });
    for (const r of records) {
      expect(r.event.action).toBe('index.delete');
      expect(r.user?.name).toBe(config.kafka.clientId);
      // Evidence like every other record: an origin on modtrail's own-activity topic, a hash, a verdict.
      expect(r.modtrail?.origin?.topic).toBe(retentionTopics.api);
      expect(r.event.hash).toMatch(/^[0-9a-f]{64}$/);
      // Judged, and by no rule: a configured deletion is recorded, not alerted on.
      expect(r.rule).toMatchObject({ id: [], ruleset: 'modtrail' });
      expect(r.modtrail?.alert).toBe(false);
      expect(new Date(r['@timestamp']).getTime()).toBeGreaterThanOrEqual(from.getTime());
    }
    // A deletion tried again finds its record and does not record twice.
    const retention = new OpenSearchRetentionRecords(storeClient, prefix);
    for (const [i, e] of events.entries()) expect(await retention.deletionOf(e.index.uuid)).toBe(records[i]!.event.id);
    expect(await retention.deletionOf('no-such-uuid')).toBeUndefined();

    const runVerify = async (): Promise<{ code: number; text: string }> => {
      await client.indices.refresh({ index: `${prefix}-*` });
      let text = '';
      const out = new Writable({
        write(chunk: Buffer, _encoding, done) {
          text += chunk.toString();
          done();
        },
      });
      const code = await verify(config, { from, to, allowGaps: false, sealedBefore: to }, out);
      return { code, text };
    };
    try {
      const clean = await runVerify();
      expect(clean.text).toMatch(/^verified 1 stream\(s\), [1-9]\d* seal\(s\), 2 record\(s\), 0 dead letter\(s\): no problems\n$/);
      expect(clean.code).toBe(0);

      // The deletion record is covered by its seal: a changed word in it is reported.
      const target = records[0]!;
      await client.update({ index: today, id: target.event.id, body: { doc: { message: 'nothing was deleted' } }, refresh: true });
      const tampered = await runVerify();
      expect(tampered.code).toBe(1);
      expect(tampered.text).toContain(`record_modified ${retentionTopics.api}/${target.modtrail!.origin!.partition} `);
      expect(tampered.text).toContain(`record ${target.event.id}`);
    } finally {
      keys.remove();
    }
  });
});
