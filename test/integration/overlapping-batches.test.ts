// Batches overlap (the next is handled while the previous is still being written), yet against the real servers
// nothing is sealed or committed past a write that failed for good, and a restart replays it into an unbroken chain.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verify } from '../../src/cli/verify.js';
import { configSchema, type Config } from '../../src/config/schema.js';
import { buildService, type Service } from '../../src/pipeline/build.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { removeTestData } from '../support/cleanup.js';
import { committedTotal, eventually, produce, testKafka } from '../support/kafka-topics.js';
import { temporarySealKeyFile } from '../support/seal-keys.js';
import { TcpGate } from '../support/tcp-gate.js';

const run = randomUUID().slice(0, 8);
const topics = { proxy: `overlap-proxy-${run}`, agent: `overlap-agent-${run}`, deadLetter: `overlap-dlq-${run}`, api: `overlap-api-${run}` };
const groupId = `overlap-${run}`;
const indexPrefix = `overlap-${run}`;
const kafka = testKafka(inject('kafkaBrokers'));
const opensearch = new Client({ node: inject('opensearchUrl') });
const target = new URL(inject('opensearchUrl'));
const gate = new TcpGate(target.hostname, Number(target.port));
// Long enough to ride out the short outage of the first test, short enough to fail for good in the second.
const retry = { initialDelayMs: 100, maxDelayMs: 500, maxElapsedMs: 6000, multiplier: 2 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let produced = 0;
const line = (i: number): string =>
  `INFO[10:00AM]: incoming request\thttp-method=GET http-path=/golang.org/x/sync/@v/v0.${i}.0.info http-status=200 request-id=overlap-${run}-${i}`;
/** Two messages in one request, so each round reaches the service as a batch of its own. */
async function produceRound(): Promise<void> {
  await produce(kafka, topics.proxy, [0, 1].map((k) => ({ value: line(produced + k) })));
  produced += 2;
}

let keys: { file: string; remove: () => void };
let port: number;
function config(): Config {
  return configSchema.parse({
    log: { level: 'silent' },
    kafka: { brokers: inject('kafkaBrokers'), groupId, topics, topicFormats: { [topics.proxy]: 'athens' }, sessionTimeoutMs: 6000, inFlightBatches: 3 },
    opensearch: { node: `http://127.0.0.1:${port}`, indexPrefix, requestTimeoutMs: 2000 },
    metrics: { enabled: false },
    integrity: { keys: { file: keys.file }, sealEveryMs: 200, sealEveryRecords: 1000 },
  });
}

async function batchSeconds(service: Service): Promise<{ sum: number; count: number }> {
  const { values } = await service.metrics.batchSeconds.get();
  const value = (name: string) => values.find((v) => v.metricName === name)?.value ?? 0;
  return { sum: value('modtrail_batch_seconds_sum'), count: value('modtrail_batch_seconds_count') };
}

interface SealDoc {
  sequence: number;
  offsets: { first: string; last: string };
}
async function seals(): Promise<SealDoc[]> {
  await opensearch.indices.refresh({ index: `${indexPrefix}-*` });
  const { body } = await opensearch.search({ index: `${indexPrefix}-seals`, body: { size: 1000 } });
  return (body.hits.hits as { _source: SealDoc }[]).map((hit) => hit._source).sort((a, b) => a.sequence - b.sequence);
}

describe('overlapping batches against the real servers', () => {
  let service: Service;

  beforeAll(async () => {
    keys = await temporarySealKeyFile('overlap');
    port = await gate.start();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: topics.proxy, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
  });

  afterAll(async () => {
    await service?.stop().catch(() => undefined);
    await gate.stop();
    await removeTestData({ kafka, topics: Object.values(topics), opensearch, indexPrefix });
    await opensearch.close();
    keys.remove();
  });

  it('handles the next batches while one waits for the store, then seals and commits them all in order', async () => {
    service = buildService(config(), createLogger('silent'), retry);
    await service.start();
    gate.close();
    const started = Date.now();
    for (let round = 0; round < 3; round++) {
      await produceRound();
      await sleep(700);
    }
    await sleep(Math.max(0, 2500 - (Date.now() - started)));
    expect(await committedTotal(kafka, groupId, topics.proxy)).toBe(0);
    gate.reopen();
    await eventually(() => committedTotal(kafka, groupId, topics.proxy), (total) => total === 6, 30_000);
    const wall = (Date.now() - started) / 1000;

    // Batches handled one at a time fit inside the wall-clock window; more handling time than that means overlap.
    const { sum, count } = await batchSeconds(service);
    expect(count).toBeGreaterThanOrEqual(2);
    expect(sum).toBeGreaterThan(wall);
    const chain = await seals();
    expect(chain[0]?.offsets.first).toBe('0');
    expect(chain.at(-1)?.offsets.last).toBe('5');
  });

  it('commits nothing past a write that failed for good, and a restart replays it into an unbroken chain', async () => {
    gate.close();
    await produceRound();
    await sleep(2000);
    await produceRound();
    // The first of the two fails after the retry budget; the store is back before the second's budget runs out.
    await expect(Promise.race([service.failed, sleep(30_000).then(() => 'still running')])).rejects.toThrow(/not settled/);
    gate.reopen();
    await eventually(
      async () => {
        await opensearch.indices.refresh({ index: `${indexPrefix}-*` });
        return (await opensearch.count({ index: `${indexPrefix}-audit` })).body.count as number;
      },
      (count) => count === 8,
      15_000,
    );
    // The second batch is stored, but it came after a failed one: neither is sealed, so neither is committed.
    await sleep(1500);
    expect(await committedTotal(kafka, groupId, topics.proxy)).toBe(6);
    expect((await seals()).at(-1)?.offsets.last).toBe('5');
    await service.stop();
    expect(await committedTotal(kafka, groupId, topics.proxy)).toBe(6);
    expect((await seals()).at(-1)?.offsets.last).toBe('5');

    service = buildService(config(), createLogger('silent'), retry);
    await service.start();
    await eventually(() => committedTotal(kafka, groupId, topics.proxy), (total) => total === produced, 30_000);
    await service.stop();

    await opensearch.indices.refresh({ index: `${indexPrefix}-*` });
    const { body } = await opensearch.count({ index: `${indexPrefix}-audit` });
    expect(body.count).toBe(produced);
    const chain = await seals();
    chain.forEach((seal, i) => {
      expect(seal.sequence).toBe(i);
      expect(seal.offsets.first).toBe(i === 0 ? '0' : String(Number(chain[i - 1]!.offsets.last) + 1));
    });
    expect(chain.at(-1)?.offsets.last).toBe(String(produced - 1));
    let report = '';
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        report += chunk.toString();
        done();
      },
    });
    const code = await verify({ ...config(), opensearch: { ...config().opensearch, node: inject('opensearchUrl') } }, { from: new Date('2020-01-01T00:00:00Z'), to: new Date('2100-01-01T00:00:00Z'), allowGaps: false }, out);
    expect(code, report).toBe(0);
  });
});
