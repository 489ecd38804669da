// The rule about commits, shown against the real servers: while the store is cut off nothing is committed,
// nothing is dead-lettered for a passing outage, and once it is back every message is stored and committed.
import { randomUUID } from 'node:crypto';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { buildService } from '../../src/pipeline/build.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { committedTotal, eventually, produce, readTopic, testKafka } from '../support/kafka-topics.js';
import { TcpGate } from '../support/tcp-gate.js';
import { removeTestData } from '../support/cleanup.js';

const run = randomUUID().slice(0, 8);
const topics = { proxy: `gate-proxy-${run}`, agent: `gate-agent-${run}`, deadLetter: `gate-dlq-${run}` };
const groupId = `gate-${run}`;
const indexPrefix = `gate-${run}`;
const kafka = testKafka(inject('kafkaBrokers'));
const opensearch = new Client({ node: inject('opensearchUrl') });
const target = new URL(inject('opensearchUrl'));
const gate = new TcpGate(target.hostname, Number(target.port));

const line = (i: number): string =>
  `INFO[10:0${i}AM]: incoming request\thttp-method=GET http-path=/golang.org/x/sync/@v/v0.${i}.0.info http-status=200 request-id=gate-${i}`;

describe('offsets wait for the store', () => {
  afterAll(async () => {
    await gate.stop();
    await removeTestData({ kafka, topics: Object.values(topics), opensearch, indexPrefix });
    await opensearch.close();
  });

  it('commits nothing while OpenSearch is unreachable, then stores and commits everything', async () => {
    const port = await gate.start();
    const config = configSchema.parse({
      kafka: { brokers: inject('kafkaBrokers'), groupId, topics, topicFormats: { [topics.proxy]: 'athens' } },
      opensearch: { node: `http://127.0.0.1:${port}`, indexPrefix, requestTimeoutMs: 2000 },
      metrics: { enabled: false },
    });
    const service = buildService(config, createLogger('silent'), { initialDelayMs: 100, maxDelayMs: 500, maxElapsedMs: 2000, multiplier: 2 });
    await service.start();

    gate.close();
    await produce(kafka, topics.proxy, [1, 2, 3].map((i) => ({ value: line(i) })));

    // A negative can only be watched: for several retry rounds the committed offset must stay at zero.
    const watchUntil = Date.now() + 8000;
    while (Date.now() < watchUntil) {
      expect(await committedTotal(kafka, groupId, topics.proxy)).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(await readTopic(kafka, topics.deadLetter, 1, 3000)).toHaveLength(0);

    gate.reopen();
    await eventually(() => committedTotal(kafka, groupId, topics.proxy), (total) => total === 3, 90_000);
    await service.stop();

    await opensearch.indices.refresh({ index: `${indexPrefix}-*` });
    const { body } = await opensearch.count({ index: `${indexPrefix}-audit` });
    expect(body.count).toBe(3);
  });
});
