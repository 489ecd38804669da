// Produce-to-webhook latency through the real pipeline: Kafka → serve → OpenSearch → outbox → a webhook receiver on loopback.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@opensearch-project/opensearch';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { configSchema } from '../src/config/schema.js';
import { buildService } from '../src/pipeline/build.js';
import { kafkaBootstrap, opensearchUrl } from '../scripts/servers/places.js';
import { createLogger } from '../src/telemetry/logger.js';
import type { BenchRow } from './normalize-evaluate.js';

const events = 500;
const perSecond = 50;

/** An Athens JSON line fetching a module outside the allowlist: each one a new module, so each its own alert and fingerprint. */
const alertingLine = (run: string, i: number): string =>
  JSON.stringify({
    time: new Date().toISOString(),
    level: 'info',
    msg: 'incoming request',
    'http-method': 'GET',
    'http-path': `/github.com/unvetted-${run}/lib${i}/@v/v1.0.${i}.zip`,
    'http-status': 200,
    'request-id': `lat-${i}`,
  });

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

export async function benchAlertLatency(): Promise<BenchRow[]> {
  const run = randomUUID().slice(0, 8);
  const topics = { proxy: `bench-proxy-${run}`, agent: `bench-agent-${run}`, deadLetter: `bench-dlq-${run}`, api: `bench-api-${run}` };
  const indexPrefix = `bench-alerts-${run}`;
  const arrived = new Map<string, number>();
  // A webhook receiver on loopback that notes when each alert's record (by its request id) first arrived.
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const trace = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data?: { record?: { trace_id?: string } } }).data?.record?.trace_id;
      if (trace && !arrived.has(trace)) arrived.set(trace, performance.now());
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const config = configSchema.parse({
    log: { level: 'warn' },
    kafka: { brokers: [kafkaBootstrap()], groupId: `bench-${run}`, topics, topicFormats: { [topics.proxy]: 'athens' } },
    opensearch: { node: opensearchUrl(), indexPrefix },
    // Every event is a distinct problem and the flood is the point: no grouping, no throttle.
    alerts: { webhook: { url: hookUrl }, grouping: { windowSeconds: 0 }, throttle: { perMinute: 1_000_000 } },
    metrics: { enabled: false },
  });
  const service = buildService(config, createLogger('warn'));
  const kafka = new Kafka({ clientId: 'modtrail-bench', brokers: [kafkaBootstrap()], logLevel: logLevel.ERROR });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const opensearch = new Client({ node: opensearchUrl() });
  const produced = new Map<string, number>();
  try {
    await service.start();
    await producer.connect();
    // Warm-up: one alert end to end, so topic metadata, the consumer group and the indices exist before timing.
    await producer.send({ topic: topics.proxy, acks: -1, messages: [{ value: alertingLine(run, -1) }] });
    await waitFor(() => arrived.has('lat--1'), 60_000);

    const started = performance.now();
    for (let i = 0; i < events; i++) {
      const due = started + (i * 1000) / perSecond;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      produced.set(`lat-${i}`, performance.now());
      void producer.send({ topic: topics.proxy, acks: -1, messages: [{ value: alertingLine(run, i) }] });
    }
    await waitFor(() => [...produced.keys()].every((id) => arrived.has(id)), 60_000);
  } finally {
    await producer.disconnect().catch(() => undefined);
    await service.stop();
    receiver.closeAllConnections();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await opensearch.indices.delete({ index: `${indexPrefix}-*` }).catch(() => undefined);
    await opensearch.indices.deleteIndexTemplate({ name: `${indexPrefix}-*` }).catch(() => undefined);
    await opensearch.close();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin.disconnect();
  }
  const latencies = [...produced].map(([id, at]) => arrived.get(id)! - at).sort((a, b) => a - b);
  const ms = (value: number): string => `${Math.round(value)} ms`;
  return [
    { measure: `alerts delivered (of ${events} produced at ${perSecond}/s)`, value: String(latencies.length) },
    { measure: 'produce → webhook p50', value: ms(percentile(latencies, 50)) },
    { measure: 'produce → webhook p95', value: ms(percentile(latencies, 95)), target: '≤ 1000 ms' },
    { measure: 'produce → webhook p99', value: ms(percentile(latencies, 99)) },
    { measure: 'produce → webhook max', value: ms(latencies.at(-1)!) },
  ];
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`alert latency bench: not every alert arrived within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// Run on its own: `npx tsx bench/alert-latency.ts` (npm run bench runs it with the others).
if (import.meta.url === `file://${process.argv[1]}`) {
  benchAlertLatency()
    .then((rows) => rows.forEach((row) => console.log(`${row.measure}: ${row.value}${row.target ? ` (target ${row.target})` : ''}`)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
