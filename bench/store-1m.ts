// The storage benchmark: N realistic events through the real path (Kafka → `buildService` in a child process →
// OpenSearch) against the raw bulk ceiling of the same OpenSearch, measured side by side in one run.
//   npx tsx bench/store-1m.ts [--events 1000000] [--heap-mb 128|0] [--no-seals] [--pin]   (npm run bench: 1,000,000 events)
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { cpus as machineCpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { kafkaDaemon, kafkaReady, startKafka, stopKafka } from '../scripts/servers/kafka.js';
import { opensearchDaemon, opensearchReady, startOpenSearch, stopOpenSearch } from '../scripts/servers/opensearch.js';
import { readPid } from '../scripts/servers/processes.js';
import { kafkaBootstrap, opensearchUrl } from '../scripts/servers/places.js';
import type { Alert, SourceFormat } from '../src/core/component.js';
import { applyDecision } from '../src/evaluate/opa/apply-decision.js';
import { OpaEvaluator } from '../src/evaluate/opa/opa-evaluator.js';
import { generateSealKeyJwk } from '../src/integrity/keys.js';
import { createNormalizer } from '../src/normalize/normalizer.js';
import { parsers } from '../src/pipeline/registry.js';
import { kafkaConfigSchema } from '../src/sources/kafka/config.js';
import { createOpenSearchClient, type OpenSearchClient } from '../src/store/opensearch/client.js';
import { withHash } from '../src/integrity/record-hash.js';
import { createBody, settlementFields } from '../src/store/opensearch/bulk-create.js';
import { dailyIndex, readAlias, sealsIndex } from '../src/store/opensearch/index-names.js';
import { alertDocument } from '../src/store/opensearch/alert-store.js';
import { alertFor } from '../src/alerts/alert-raiser.js';
import { ensureIndexTemplates } from '../src/store/opensearch/index-templates.js';
import type { BenchRow } from './normalize-evaluate.js';
import { realisticEvents } from './realistic-events.js';

/** Production-like shares (as in bench/normalize-evaluate.ts): proxy access lines dominate, Go-settings events are rare. */
const mix: [SourceFormat, number][] = [
  ['athens', 30],
  ['artifactory-request', 25],
  ['artifactory-access', 20],
  ['nexus-request', 20],
  ['agent', 3],
  ['sysmon', 2],
];
/**
 * The default policy data with the generator's ordinary modules allowlisted, as an operator's list covers the
 * modules their builds use; the generator's deliberately bad modules and settings still raise alerts (about 11%).
 */
const allowlisted = ['github.com/BurntSushi', 'github.com/spf13', 'github.com/sirupsen', 'github.com/Azure', 'github.com/hashicorp/vault', 'go.uber.org', 'github.com/prometheus', 'google.golang.org/grpc', 'k8s.io'];
function writePolicyData(file: string): void {
  const data = JSON.parse(readFileSync(join(root, 'policies', 'data', 'default.json'), 'utf8')) as { allowed_modules: string[] };
  data.allowed_modules.push(...allowlisted);
  writeFileSync(file, JSON.stringify(data));
}
const sealKeyVariable = 'BENCH_STORE_SEAL_KEY';
const serviceConfigVariable = 'BENCH_STORE_SERVICE_CONFIG';
const pollMs = 250;
/** The heap limit deploy/README.md recommends for `modtrail serve` (NODE_OPTIONS=--max-old-space-size=128). */
export const recommendedHeapMb = 128;
const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The service as it ships: src compiled by tsc (as `npm run build` does), into a directory of its own so a build
 * other work is using is not replaced mid-run. Running it from TypeScript would add the loader's memory to its RSS.
 */
async function compileService(): Promise<string> {
  const outDir = join(root, 'node_modules', '.cache', 'modtrail-bench', 'dist');
  rmSync(outDir, { recursive: true, force: true });
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', outDir, '--sourceMap', 'false'], { cwd: root, maxBuffer: 16 * 2 ** 20 }).catch((error: { stdout?: string }) => {
    if (!existsSync(join(outDir, 'pipeline', 'build.js'))) throw error;
    console.warn(`  tsc reported type errors (run with what it emitted):\n${error.stdout ?? ''}`);
  });
  return outDir;
}

/** The child: `modtrail serve` as build.ts wires it, told when to stop, reporting its batches and its heap. */
const serviceChild = `
const dist = process.env.BENCH_STORE_DIST;
const { configSchema } = await import(dist + '/config/schema.js');
const { buildService } = await import(dist + '/pipeline/build.js');
const { createLogger } = await import(dist + '/telemetry/logger.js');
const config = configSchema.parse(JSON.parse(process.env.${serviceConfigVariable}));
const service = buildService(config, createLogger(config.log.level));
const peak = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
const sampler = setInterval(() => { const m = process.memoryUsage(); for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], m[k]); }, 100);
await service.start();
process.send({ type: 'started', rss: process.memoryUsage().rss });
process.on('message', async (m) => {
  if (m.type !== 'stop') return;
  await service.stop();
  clearInterval(sampler);
  const histogram = await service.metrics.batchSeconds.get();
  const batches = histogram.values.find((v) => v.metricName === 'modtrail_batch_seconds_count')?.value ?? 0;
  process.send({ type: 'stopped', batches, peak });
  process.disconnect();
});
`;

export interface StoreBenchOptions {
  events: number;
  seals: boolean;
  /** OpenSearch alone on a CPU of its own (pinOpenSearch); otherwise every process may run on every CPU. */
  pin?: boolean;
  /** The service's V8 old-space limit (--max-old-space-size), as deploy/README.md recommends; undefined: Node's default. */
  heapMb?: number;
}

interface Event {
  format: SourceFormat;
  line: string;
}

/** N events interleaved in the mix's proportions, deterministic. */
function mixedEvents(count: number): Event[] {
  const pattern = mix.flatMap(([format, share]) => Array.from({ length: share }, () => format));
  const perFormat = new Map<SourceFormat, string[]>(mix.map(([format, share]) => [format, realisticEvents(format, Math.ceil((count * share) / 100) + 1)]));
  const taken = new Map<SourceFormat, number>();
  return Array.from({ length: count }, (_, i) => {
    const format = pattern[i % pattern.length]!;
    const n = taken.get(format) ?? 0;
    taken.set(format, n + 1);
    return { format, line: perFormat.get(format)![n]! };
  });
}

async function produceAll(kafka: Kafka, topic: string, events: Event[]): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  // 2,000 lines per request keeps each record batch under the broker's 1 MB message.max.bytes.
  for (let start = 0; start < events.length; start += 2000) {
    const chunk = events.slice(start, start + 2000);
    await producer.send({ topic, acks: -1, messages: chunk.map((e) => ({ value: e.line, headers: { 'modtrail-format': e.format } })) });
  }
  await producer.disconnect();
}

async function countVisible(client: OpenSearchClient, prefix: string): Promise<number> {
  const alias = readAlias(prefix, 'audit');
  if (!(await client.indices.existsAlias({ name: alias })).body) return 0;
  // A day's index just created may not have its shard yet (503): count again at the next poll.
  return client.count({ index: alias }).then(
    (response) => response.body.count as number,
    () => 0,
  );
}

/**
 * Watches the visible count from the first record to the last, and returns the rate in between: the same clock for
 * both legs, which leaves out the consumer's group join and the index creation before the first record.
 */
async function watchStored(client: OpenSearchClient, prefix: string, expected: number, timeoutMs: number): Promise<{ perSecond: number; seconds: number }> {
  const deadline = Date.now() + timeoutMs;
  let first: { at: bigint; count: number } | undefined;
  for (;;) {
    const count = await countVisible(client, prefix);
    const at = process.hrtime.bigint();
    if (first === undefined && count > 0) first = { at, count };
    if (count >= expected && first !== undefined) {
      const seconds = Number(at - first.at) / 1e9;
      if (seconds === 0) throw new Error(`${prefix}: every record became visible at once; use more events`);
      return { perSecond: (count - first.count) / seconds, seconds };
    }
    if (Date.now() > deadline) throw new Error(`${prefix}: only ${count} of ${expected} records visible after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** The resident set size (current and peak) of a process, from the kernel: what the operator would see. */
function rssOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** A process's /proc stat fields after its command (the command may hold spaces; it ends at the last ") "). */
const statFields = (pid: number): string[] => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');

/** CPU seconds (user + system) in stat fields 14 and 15, counted in clock ticks of 1/100 s. */
const cpuSecondsIn = (fields: readonly string[]): number => (Number(fields[11]) + Number(fields[12])) / 100;

/** CPU seconds a process has used, from /proc. */
const cpuSecondsOf = (pid: number): number => cpuSecondsIn(statFields(pid));

/** The stat fields of every process in a process group (runuser and the JVM alike). */
function groupStats(pgid: number): { pid: number; fields: string[] }[] {
  const members: { pid: number; fields: string[] }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = statFields(Number(entry));
      if (Number(fields[2]) === pgid) members.push({ pid: Number(entry), fields });
    } catch {
      // the process ended between the listing and the read
    }
  }
  return members;
}

/** CPU seconds used by every process of a server's process group. */
function groupCpuSeconds(pgid: number | undefined): number {
  if (pgid === undefined) return Number.NaN;
  return groupStats(pgid).reduce((total, { fields }) => total + cpuSecondsIn(fields), 0);
}

/** Sets the CPUs every thread of these processes may run on (taskset, util-linux); a process already gone is skipped. */
function setAffinity(pids: readonly number[], cpus: string): void {
  for (const pid of pids) {
    try {
      execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cpus, String(pid)], { stdio: 'ignore' });
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') throw new Error('--pin needs taskset (util-linux)');
    }
  }
}

/**
 * --pin: OpenSearch alone on the last CPU; Kafka, this process and the service child it starts on the others, so the
 * service does not take its CPU from OpenSearch (in production OpenSearch has machines of its own). Both legs run in
 * it; the returned function gives every process all CPUs back.
 */
function pinOpenSearch(): { layout: string; unpin: () => void } {
  // The machine's CPUs, not this process's share of them (availableParallelism follows the affinity).
  const last = machineCpus().length - 1;
  if (last < 1) throw new Error('--pin needs at least two CPUs');
  const opensearch = readPid(opensearchDaemon());
  const kafka = readPid(kafkaDaemon());
  if (opensearch === undefined || kafka === undefined) throw new Error('--pin needs Kafka and OpenSearch started by npm run servers:up');
  const members = (pgid: number) => groupStats(pgid).map(({ pid }) => pid);
  const rest = last === 1 ? '0' : `0-${last - 1}`;
  setAffinity(members(opensearch), String(last));
  setAffinity([...members(kafka), process.pid], rest);
  return {
    layout: `pinned: OpenSearch alone on CPU ${last}; Kafka, the bench and the service on CPU ${rest}`,
    unpin: () => setAffinity([...members(opensearch), ...members(kafka), process.pid], `0-${last}`),
  };
}

/** The servers' CPU over a stretch of the run, per thousand documents, to show where the two shared cores went. */
function serverCpu(): () => { opensearch: number; kafka: number } {
  const opensearch = readPid(opensearchDaemon());
  const kafka = readPid(kafkaDaemon());
  const before = { opensearch: groupCpuSeconds(opensearch), kafka: groupCpuSeconds(kafka) };
  return () => ({ opensearch: groupCpuSeconds(opensearch) - before.opensearch, kafka: groupCpuSeconds(kafka) - before.kafka });
}

interface OpenSearchWork {
  indexed: number;
  indexMs: number;
  refreshes: number;
  refreshMs: number;
  mergeMs: number;
  searches: number;
}

/** What the node did over a stretch of the run (its cumulative index, refresh, merge and search counters). */
async function opensearchWork(client: OpenSearchClient): Promise<() => Promise<OpenSearchWork>> {
  const read = async (): Promise<OpenSearchWork> => {
    const response = await client.nodes.stats({ node_id: ['_local'], metric: ['indices'] });
    const nodes = Object.values(response.body.nodes as Record<string, { indices: Record<string, Record<string, number>> }>);
    const indices = nodes[0]!.indices;
    return {
      indexed: indices.indexing!.index_total!,
      indexMs: indices.indexing!.index_time_in_millis!,
      refreshes: indices.refresh!.total!,
      refreshMs: indices.refresh!.total_time_in_millis!,
      mergeMs: indices.merges!.total_time_in_millis!,
      searches: indices.search!.query_total!,
    };
  };
  const before = await read();
  return async () => {
    const after = await read();
    return Object.fromEntries(Object.entries(after).map(([key, value]) => [key, value - before[key as keyof OpenSearchWork]])) as unknown as OpenSearchWork;
  };
}

const describeWork = (work: OpenSearchWork): string =>
  `${work.indexed.toLocaleString('en-US')} documents indexed in ${(work.indexMs / 1000).toFixed(0)} s, ${work.refreshes} refreshes taking ${(work.refreshMs / 1000).toFixed(0)} s, merges ${(work.mergeMs / 1000).toFixed(0)} s, ${work.searches} searches`;

function message<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string } & T): void => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m);
    };
    const onExit = (code: number | null): void => reject(new Error(`service child exited (${code}) before "${type}"`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Runs the service in its own process, so its RSS is the service's alone, and times it until every record is visible. */
async function pipelineLeg(options: StoreBenchOptions, topic: string, prefix: string, dataFile: string, client: OpenSearchClient): Promise<{ perSecond: number; seconds: number; peakMb: number; batches: number; cpuSeconds: number; servers: { opensearch: number; kafka: number }; work: OpenSearchWork }> {
  const topics = { proxy: topic, agent: `${topic}-agent`, deadLetter: `${topic}-dlq`, ...('api' in kafkaConfigSchema.parse(undefined).topics ? { api: `${topic}-api` } : {}) };
  const config = {
    log: { level: 'warn' },
    kafka: { brokers: [kafkaBootstrap()], groupId: `${topic}-group`, topics, topicFormats: {}, fromBeginning: true },
    opensearch: { node: opensearchUrl(), indexPrefix: prefix },
    metrics: { enabled: false },
    policy: { bundleDir: 'policies/bundle', dataFile, watch: false },
    ...(options.seals ? { integrity: { keys: { env: sealKeyVariable } } } : {}),
  };
  const env: NodeJS.ProcessEnv = { ...process.env, [serviceConfigVariable]: JSON.stringify(config) };
  if (options.seals) env[sealKeyVariable] = JSON.stringify(await generateSealKeyJwk('bench-seal'));
  env.BENCH_STORE_DIST = pathToFileURL(await compileService()).href;
  const nodeArgs = [...(options.heapMb === undefined ? [] : [`--max-old-space-size=${options.heapMb}`]), ...(process.env.BENCH_STORE_NODE_ARGS ?? '').split(' ').filter(Boolean)];
  const child = spawn(process.execPath, [...nodeArgs, '--input-type=module', '-e', serviceChild], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let peakSampled = 0;
  const sampler = setInterval(() => {
    try {
      peakSampled = Math.max(peakSampled, rssOf(child.pid!).rssMb);
    } catch {
      // the child is gone; its last sample stands
    }
  }, 200);
  try {
    const { rss } = await message<{ rss: number }>(child, 'started');
    const cpuAtStart = cpuSecondsOf(child.pid!);
    const serversCpu = serverCpu();
    const worked = await opensearchWork(client);
    const { perSecond, seconds } = await watchStored(client, prefix, options.events, 60 * 60_000);
    const servers = serversCpu();
    const work = await worked();
    const peakMb = Math.max(peakSampled, rssOf(child.pid!).peakMb);
    const cpuSeconds = cpuSecondsOf(child.pid!) - cpuAtStart;
    child.send({ type: 'stop' });
    const { batches, peak } = await message<{ batches: number; peak: Record<string, number> }>(child, 'stopped');
    const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MB`;
    console.log(`  service RSS after start ${mb(rss)}; peaks: heap used ${mb(peak.heapUsed!)}, heap total ${mb(peak.heapTotal!)}, external ${mb(peak.external!)} (array buffers ${mb(peak.arrayBuffers!)})`);
    return { perSecond, seconds, peakMb, batches, cpuSeconds, servers, work };
  } finally {
    clearInterval(sampler);
    // A stopped service leaves nothing running: give it a moment to exit on its own before making sure.
    if (child.exitCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    child.kill();
  }
}

/** One request of the ceiling loop: a create-only bulk read back from the file (records or alerts), or one seal. */
type CeilingRequest = { kind: 'records' | 'alerts'; offset: number; length: number } | { kind: 'seal'; id: string; body: Record<string, unknown> };

/** A seal document the pipeline stored: its id, the last offset it covers, and its source. */
interface StoredSeal {
  id: string;
  last: number;
  body: Record<string, unknown>;
}

/** The seals the pipeline stored, in chain order: the ceiling writes the same documents where the pipeline wrote them. */
async function storedSeals(client: OpenSearchClient, prefix: string): Promise<StoredSeal[]> {
  await client.indices.refresh({ index: sealsIndex(prefix) });
  const { body } = await client.search({ index: sealsIndex(prefix), body: { size: 10_000, sort: [{ sequence: 'asc' }], query: { match_all: {} } } });
  const hits = body.hits.hits as unknown as { _id: string; _source: Record<string, unknown> & { offsets: { last: string } } }[];
  return hits.map((hit) => ({ id: hit._id, last: Number(hit._source.offsets.last), body: hit._source }));
}

/**
 * Every document the pipeline stores, byte for byte and in its order: each batch's records, then that batch's
 * alerts, and each seal after the batch holding the last offset it covers. Serialized once, before timing.
 */
async function ceilingBodies(
  events: Event[],
  topic: string,
  prefix: string,
  batchSize: number,
  dataFile: string,
  file: string,
  seals: readonly StoredSeal[],
): Promise<{ requests: CeilingRequest[]; alerts: number }> {
  const normalize = createNormalizer(parsers, {});
  const evaluator = new OpaEvaluator({ bundleDir: 'policies/bundle', dataFile });
  await evaluator.start();
  const fd = openSync(file, 'w');
  const requests: CeilingRequest[] = [];
  let offset = 0;
  let alerts = 0;
  let nextSeal = 0;
  const receivedAt = new Date();
  // The topic is fresh and has one partition: an event's offset is its place in the list.
  const sealsBefore = (end: number): void => {
    for (; nextSeal < seals.length && seals[nextSeal]!.last < end; nextSeal++) requests.push({ kind: 'seal', id: seals[nextSeal]!.id, body: seals[nextSeal]!.body });
  };
  const append = (kind: 'records' | 'alerts', bytes: Buffer): void => {
    writeSync(fd, bytes);
    requests.push({ kind, offset, length: bytes.length });
    offset += bytes.length;
  };
  try {
    for (let start = 0; start < events.length; start += batchSize) {
      const records = events.slice(start, start + batchSize).map((e, i) => {
        const result = normalize({ value: Buffer.from(e.line), headers: { 'modtrail-format': e.format }, origin: { topic, partition: 0, offset: String(start + i) }, receivedAt }, new Date());
        if (!result.ok) throw new Error(`a realistic ${e.format} event was rejected: ${result.rejection.reason}`);
        return result.record;
      });
      const decisions = await evaluator.evaluate(records);
      const stored = records.map((record, i) => withHash(applyDecision(record, decisions[i]!)));
      const raised = stored.map((record) => alertFor(record)).filter((alert): alert is Alert => alert !== undefined);
      // What the sinks send: the hashed records' stored bytes, then the alerts, each in the same NDJSON.
      append('records', createBody(stored.map((record) => ({ index: dailyIndex(prefix, 'audit', record['@timestamp']), id: record.event.id, body: record }))));
      if (raised.length > 0) append('alerts', createBody(raised.map((alert) => alertDocument(prefix, alert))));
      alerts += raised.length;
      sealsBefore(start + batchSize);
    }
    sealsBefore(Number.POSITIVE_INFINITY);
  } finally {
    closeSync(fd);
    await evaluator.stop();
  }
  return { requests, alerts };
}

/**
 * A tight loop with the service's client, one request at a time, bodies read back from the page cache. `recordsOnly`
 * sends the records' bulks alone (the ceiling as measured until 2026-11-25); otherwise alerts and seals go too.
 */
async function ceilingLeg(client: OpenSearchClient, prefix: string, expected: number, file: string, requests: readonly CeilingRequest[], recordsOnly: boolean): Promise<{ perSecond: number; seconds: number; servers: { opensearch: number; kafka: number }; work: OpenSearchWork }> {
  await ensureIndexTemplates(client, prefix);
  const fd = openSync(file, 'r');
  try {
    const serversCpu = serverCpu();
    const worked = await opensearchWork(client);
    const watching = watchStored(client, prefix, expected, 60 * 60_000);
    for (const request of requests) {
      if (request.kind === 'seal') {
        // The seal writer's call: one create of the signed seal document.
        if (!recordsOnly) await client.create({ index: sealsIndex(prefix), id: request.id, body: request.body });
        continue;
      }
      if (recordsOnly && request.kind === 'alerts') continue;
      const body = Buffer.allocUnsafe(request.length);
      readSync(fd, body, 0, request.length, request.offset);
      // A Buffer goes out as it is (the transport serializes only objects): the bodies were serialized before timing.
      const response = await client.bulk({ body, filter_path: settlementFields } as unknown as Parameters<OpenSearchClient['bulk']>[0]);
      // The sink's filter leaves only each item's status and error (no top-level `errors`): check each item.
      const refused = (response.body.items as { create?: { status: number; error?: unknown } }[]).find((item) => item.create?.status !== 201);
      if (refused !== undefined) throw new Error(`ceiling bulk had an item not created: ${JSON.stringify(refused)}`);
    }
    const stored = await watching;
    return { ...stored, servers: serversCpu(), work: await worked() };
  } finally {
    closeSync(fd);
  }
}

/** BENCH_STORE_INDEX_STATS=1: each index's documents, size, indexing, refresh and merge time, before the ceiling's go. */
async function printIndexStats(client: OpenSearchClient, prefixes: readonly string[]): Promise<void> {
  const stats = await client.indices.stats({ index: prefixes.map((prefix) => `${prefix}-*`).join(','), metric: ['indexing', 'refresh', 'merge', 'docs', 'store'] });
  for (const [name, s] of Object.entries(stats.body.indices as Record<string, { total: Record<string, Record<string, number>> }>)) {
    console.log(name, s.total.docs!.count, `${(s.total.store!.size_in_bytes! / 2 ** 20).toFixed(1)}MB`, 'idx', s.total.indexing!.index_time_in_millis, 'refresh', s.total.refresh!.total, s.total.refresh!.total_time_in_millis, 'merge', s.total.merges!.total_time_in_millis);
  }
}

export async function benchStore(options: StoreBenchOptions): Promise<BenchRow[]> {
  const running = (await kafkaReady()) && (await opensearchReady().catch(() => false));
  if (!running) await Promise.all([startKafka(), startOpenSearch()]);
  const run = randomUUID().slice(0, 8);
  const topic = `bench-store-${run}`;
  const pipelinePrefix = `bench-pipe-${run}`;
  const ceilingPrefix = `bench-ceil-${run}`;
  const file = join(tmpdir(), `modtrail-bench-${run}.ndjson`);
  const dataFile = join(tmpdir(), `modtrail-bench-${run}-policy-data.json`);
  writePolicyData(dataFile);
  const kafka = new Kafka({ clientId: 'modtrail-bench', brokers: [kafkaBootstrap()], logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  const client = createOpenSearchClient({ node: opensearchUrl(), indexPrefix: pipelinePrefix, requestTimeoutMs: 120_000 });
  // Pinned last, so that nothing between here and the finally that unpins can fail.
  const pinned = options.pin ? pinOpenSearch() : undefined;
  const loadBefore = loadavg();
  try {
    await admin.connect();
    // One partition: the service handles one batch at a time whatever the partition count, and offsets stay known.
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const events = mixedEvents(options.events);
    const produced = process.hrtime.bigint();
    await produceAll(kafka, topic, events);
    console.log(`  produced ${options.events.toLocaleString('en-US')} events to ${topic} in ${(Number(process.hrtime.bigint() - produced) / 1e9).toFixed(1)} s`);

    const pipeline = await pipelineLeg(options, topic, pipelinePrefix, dataFile, client);
    const batchSize = Math.max(1, Math.round(options.events / Math.max(1, pipeline.batches)));
    console.log(`  pipeline: ${pipeline.seconds.toFixed(1)} s first to last record, ${pipeline.batches} batches (≈ ${batchSize} events each), peak RSS ${pipeline.peakMb.toFixed(0)} MB, service CPU ${pipeline.cpuSeconds.toFixed(0)} s`);
    console.log(`  OpenSearch in the pipeline leg: ${describeWork(pipeline.work)}`);

    // The pipeline's own seals, to be written by the ceiling where the pipeline wrote them.
    const seals = options.seals ? await storedSeals(client, pipelinePrefix) : [];
    const { requests, alerts } = await ceilingBodies(events, topic, ceilingPrefix, batchSize, dataFile, file, seals);
    const ceiling = await ceilingLeg(client, ceilingPrefix, options.events, file, requests, false);
    console.log(`  ceiling: ${ceiling.seconds.toFixed(1)} s first to last record`);
    console.log(`  OpenSearch in the ceiling leg: ${describeWork(ceiling.work)}`);
    if (process.env.BENCH_STORE_INDEX_STATS) await printIndexStats(client, [pipelinePrefix, ceilingPrefix]);
    // The records alone, as the ceiling was measured before: the same bulk bodies into fresh indices.
    await client.indices.delete({ index: `${ceilingPrefix}-*` });
    const recordsOnly = await ceilingLeg(client, ceilingPrefix, options.events, file, requests, true);
    console.log(`  records-only ceiling: ${recordsOnly.seconds.toFixed(1)} s first to last record`);
    console.log(`  OpenSearch in the records-only leg: ${describeWork(recordsOnly.work)}`);
    const loadAfter = loadavg();

    const rate = (perSecond: number): string => Math.round(perSecond).toLocaleString('en-US');
    const n = options.events.toLocaleString('en-US');
    return [
      { measure: `pipeline: ${n} events, Kafka → normalize → evaluate → OpenSearch${options.seals ? ' (hashed and sealed)' : ' (no seals)'}, ${((100 * alerts) / options.events).toFixed(0)}% raising alerts (stored too), the service in its own process${options.heapMb === undefined ? '' : ` (node --max-old-space-size=${options.heapMb})`}`, value: `${rate(pipeline.perSecond)} records/s` },
      {
        measure: `raw ceiling: the same documents the pipeline stored, byte for byte and in its order (${n} records with event.hash, their alerts, the pipeline's ${seals.length} seals), create-only _bulk of ${batchSize} records (the pipeline's mean batch) then the batch's alerts, one request at a time, same client`,
        value: `${rate(ceiling.perSecond)} records/s`,
      },
      { measure: 'pipeline ÷ ceiling', value: (pipeline.perSecond / ceiling.perSecond).toFixed(3), target: '≥ 0.8' },
      { measure: 'documents indexed (pipeline / ceiling)', value: `${pipeline.work.indexed.toLocaleString('en-US')} / ${ceiling.work.indexed.toLocaleString('en-US')}` },
      {
        measure: "records-only ceiling (the records' bulks alone, as measured until 2026-11-25) and pipeline ÷ it",
        value: `${rate(recordsOnly.perSecond)} records/s, ${(pipeline.perSecond / recordsOnly.perSecond).toFixed(3)}`,
      },
      { measure: "service peak RSS (the child process's VmHWM)", value: `${pipeline.peakMb.toFixed(0)} MB`, target: '≤ 250 MB' },
      {
        measure: 'service CPU while storing (user + system), share of one core',
        value: `${pipeline.cpuSeconds.toFixed(0)} s, ${((100 * pipeline.cpuSeconds) / pipeline.seconds).toFixed(0)}%`,
      },
      {
        measure: 'OpenSearch CPU per 1,000 records stored (pipeline / ceiling / records-only ceiling), whole leg',
        value: [pipeline, ceiling, recordsOnly].map((leg) => `${((1000 * leg.servers.opensearch) / options.events).toFixed(3)} s`).join(' / '),
      },
      { measure: 'Kafka CPU while the pipeline consumed', value: `${pipeline.servers.kafka.toFixed(0)} s` },
      { measure: `load average (1 min) before / after, ${machineCpus().length} cores, other work on the machine included`, value: `${loadBefore[0]!.toFixed(2)} / ${loadAfter[0]!.toFixed(2)}` },
      { measure: 'CPU layout', value: pinned?.layout ?? 'shared: every process may run on every CPU' },
    ];
  } finally {
    rmSync(file, { force: true });
    rmSync(dataFile, { force: true });
    // Only what exists: kafkajs retries a delete of an unknown topic for minutes.
    const ours = (await admin.listTopics().catch(() => [] as string[])).filter((name) => name.startsWith(topic));
    if (ours.length > 0) await admin.deleteTopics({ topics: ours }).catch(() => undefined);
    const groups = (await admin.listGroups().catch(() => ({ groups: [] as { groupId: string }[] }))).groups.map((g) => g.groupId);
    if (groups.includes(`${topic}-group`)) await admin.deleteGroups([`${topic}-group`]).catch(() => undefined);
    await admin.disconnect();
    for (const prefix of [pipelinePrefix, ceilingPrefix]) {
      await client.indices.delete({ index: `${prefix}-*` }).catch(() => undefined);
      await client.indices.deleteIndexTemplate({ name: `${prefix}-*` }).catch(() => undefined);
    }
    await client.close();
    pinned?.unpin();
    if (!running) await Promise.all([stopKafka(), stopOpenSearch()]);
  }
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const events = Number(flag('--events') ?? 1_000_000);
  if (!Number.isInteger(events) || events <= 0) throw new Error('--events must be a positive whole number');
  // --heap-mb 0 runs the service with Node's default heap sizing.
  const heapMb = Number(flag('--heap-mb') ?? recommendedHeapMb);
  benchStore({ events, seals: !process.argv.includes('--no-seals'), pin: process.argv.includes('--pin'), ...(heapMb > 0 ? { heapMb } : {}) })
    .then((rows) => {
      for (const row of rows) console.log(`${row.measure}: ${row.value}${row.target ? ` (target ${row.target})` : ''}`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
