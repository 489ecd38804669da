// The export benchmark: N realistic records (hashed, sealed every 10,000 offsets, in the real OpenSearch), exported by
// a child process whose RSS is sampled throughout, then verified offline the same way. Figures: records per second
// (signed and hashed) and peak RSS, which must not grow with N (constant memory).
//   npx tsx bench/export.ts [--records 200000] [--format jsonl|csv] [--page-size 1000] [--export-heap-mb 64]
//   npm run bench runs benchExportThroughput at 200,000 records (bench/run.ts).
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JSONWebKeySet } from 'jose';
import { opensearchReady } from '../scripts/servers/opensearch.js';
import { opensearchUrl } from '../scripts/servers/places.js';
import type { AuditRecord } from '../src/core/record.js';
import { runExport, type ExportFormat } from '../src/export/exporter.js';
import { openSearchExportSource } from '../src/export/opensearch-export-source.js';
import { verifyBundle } from '../src/export/verify-bundle.js';
import { generateSealKeyJwk, parseSealKeys, publicJwks, type SealKeyring } from '../src/integrity/keys.js';
import { withHash } from '../src/integrity/record-hash.js';
import { buildSeal, signSealHashed } from '../src/integrity/seal.js';
import { createNormalizer } from '../src/normalize/normalizer.js';
import { parsers } from '../src/pipeline/registry.js';
import { bulkCreate } from '../src/store/opensearch/bulk-create.js';
import { createOpenSearchClient, type OpenSearchClient } from '../src/store/opensearch/client.js';
import { dailyIndex } from '../src/store/opensearch/index-names.js';
import { ensureIndexTemplates } from '../src/store/opensearch/index-templates.js';
import { OpenSearchSealStore } from '../src/store/opensearch/seal-store.js';
import type { BenchRow } from './normalize-evaluate.js';
import { realisticEvents } from './realistic-events.js';

const sealEvery = 10_000;
const topic = 'modtrail.proxy';

/**
 * Stores N hashed records on one partition, a signed seal per 10,000 offsets, as the sealer would. Seeding is not what
 * is measured: the 10,000 realistic lines are normalized once and stamped per offset, the index is loaded without
 * refreshes, and the next chunk is built while the last one's bulk request is in flight.
 */
export async function loadExportRecords(client: OpenSearchClient, prefix: string, count: number, keyring: SealKeyring, progress = true): Promise<{ from: Date; to: Date }> {
  await ensureIndexTemplates(client, prefix);
  const normalize = createNormalizer(parsers, {});
  const start = Date.UTC(2026, 10, 24, 0, 0, 0);
  const templates = realisticEvents('athens', sealEvery).map((line, i) => {
    const result = normalize({ value: Buffer.from(line), headers: { 'modtrail-format': 'athens' }, origin: { topic, partition: 0, offset: String(i) }, receivedAt: new Date(start) }, new Date(start));
    if (!result.ok) throw new Error(result.rejection.reason);
    return result.record;
  });
  const seals = new OpenSearchSealStore(client, prefix);
  const audit = dailyIndex(prefix, 'audit', new Date(start).toISOString());
  const chunk = (first: number): AuditRecord[] => {
    const records: AuditRecord[] = [];
    for (let offset = first; offset < Math.min(count, first + sealEvery); offset++) {
      const template = templates[offset % templates.length]!;
      // Spread in offset order (10 ms apart, all in one daily index), so the time range selects by offset.
      records.push(withHash({ ...template, '@timestamp': new Date(start + offset * 10).toISOString(), event: { ...template.event, id: `bench-${offset}` }, modtrail: { ...template.modtrail, origin: { topic, partition: 0, offset: String(offset) } } }));
    }
    return records;
  };
  const store = async (records: AuditRecord[]) => {
    const halves = [records.slice(0, records.length >> 1), records.slice(records.length >> 1)];
    const settled = (await Promise.all(halves.map((half) => bulkCreate(client, half.map((record) => ({ index: audit, id: record.event.id, body: record })))))).flat();
    if (settled.some((s) => s.status !== 'delivered')) throw new Error('bulk load failed');
  };
  let previous: string | null = null;
  let records = chunk(0);
  await store(records.slice(0, 1));
  // Loading only: no refresh until the end, and an fsync per request is not needed for a throwaway index.
  await client.indices.putSettings({ index: audit, body: { index: { refresh_interval: '-1', 'translog.durability': 'async' } } });
  for (let first = 0, sequence = 0; first < count; first += sealEvery, sequence++) {
    const stored = store(records);
    const seal = buildSeal({ stream: { topic, partition: 0 }, sequence, previous, offsets: { first: String(first), last: String(first + records.length - 1) }, items: records.map((record) => ({ kind: 'record', record })), sealedAt: new Date(start + 86_400_000) });
    const { jws, hash } = await signSealHashed(seal, keyring.active);
    const next = first + sealEvery < count ? chunk(first + sealEvery) : [];
    await stored;
    await seals.create({ seal, jws, hash, kid: keyring.active.kid, alg: keyring.active.alg });
    previous = hash;
    records = next;
    if (progress) process.stdout.write(`\rloaded ${Math.min(count, first + sealEvery)} / ${count}`);
  }
  if (progress) process.stdout.write('\n');
  await client.indices.putSettings({ index: audit, body: { index: { refresh_interval: '1s', 'translog.durability': 'request' } } });
  await client.indices.refresh({ index: `${prefix}-*` });
  return { from: new Date(start), to: new Date(start + count * 10) };
}

interface ChildResult {
  records: number;
  seconds: number;
  peakRssMb: number;
  startRssMb: number;
  peakHeapMb: number;
  bytes: number;
}

/** The measured part, in a fresh process so its RSS is the export's own. */
async function child(): Promise<void> {
  const [prefix, dir, from, to, format, keyJson, pageSize] = process.argv.slice(3) as [string, string, string, string, ExportFormat, string, string];
  const keyring = await parseSealKeys(keyJson, { source: 'bench key' });
  const client = createOpenSearchClient({ node: opensearchUrl(), indexPrefix: prefix, requestTimeoutMs: 60_000 });
  const startRss = process.memoryUsage().rss;
  let peak = startRss;
  let peakHeap = 0;
  const sample = () => {
    const { rss, heapUsed } = process.memoryUsage();
    peak = Math.max(peak, rss);
    peakHeap = Math.max(peakHeap, heapUsed);
  };
  const sampler = setInterval(sample, 25);
  const started = performance.now();
  let bytes = 0;
  let records = 0;
  if (dir.endsWith('#verify')) {
    const result = await verifyBundle(dir.slice(0, -'#verify'.length), publicJwks(keyring) as unknown as JSONWebKeySet);
    if (result.problems.length > 0) throw new Error(`verify found ${result.problems.length} problems: ${result.problems[0]!.detail}`);
    records = result.checked.records;
  } else {
    const { manifest } = await runExport(
      { range: { from: new Date(from), to: new Date(to) }, filters: {}, format, exporter: { subject: 'bench', issuer: 'bench' } },
      { dir, source: openSearchExportSource(client, prefix), keyring, pageSize: Number(pageSize) },
    );
    records = manifest.records.count;
    bytes = manifest.files.reduce((sum, file) => sum + file.bytes, 0);
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  sample();
  await client.close();
  const result: ChildResult = { records, seconds, peakRssMb: peak / 2 ** 20, startRssMb: startRss / 2 ** 20, peakHeapMb: peakHeap / 2 ** 20, bytes };
  process.send!(result);
}

function measure(args: string[], heapMb?: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    // With a heap cap, an export that held records would fail with out-of-memory instead of just growing.
    const execArgv = ['--import', 'tsx', ...(heapMb === undefined ? [] : [`--max-old-space-size=${heapMb}`])];
    const process_ = fork(fileURLToPath(import.meta.url), ['--child', ...args], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    process_.once('message', (message) => resolve(message as ChildResult));
    process_.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`child exited with ${code}`))));
  });
}

export interface ExportBenchResult {
  exported: ChildResult;
  verified: ChildResult;
  /** os.loadavg() when the export started and when verification ended (other work on the machine skews rates). */
  load: { before: number[]; after: number[] };
}

export async function benchExport(count: number, format: ExportFormat, options: { exportHeapMb?: number; pageSize?: number; print?: boolean } = {}): Promise<ExportBenchResult> {
  const { exportHeapMb, pageSize = 1000, print = true } = options;
  if (!(await opensearchReady().catch(() => false))) throw new Error('OpenSearch is not running: npm run servers:up');
  const prefix = `bench-export-${randomUUID().slice(0, 8)}`;
  const client = createOpenSearchClient({ node: opensearchUrl(), indexPrefix: prefix, requestTimeoutMs: 120_000 });
  const work = mkdtempSync(join(tmpdir(), 'modtrail-bench-export-'));
  try {
    const jwk = JSON.stringify(await generateSealKeyJwk('bench-export'));
    const range = await loadExportRecords(client, prefix, count, await parseSealKeys(jwk, { source: 'bench key' }), print);
    const dir = join(work, 'bundle');
    const before = loadavg();
    const exported = await measure([prefix, dir, range.from.toISOString(), range.to.toISOString(), format, jwk, String(pageSize)], exportHeapMb);
    if (exported.records !== count) throw new Error(`exported ${exported.records} of ${count} records`);
    const verified = await measure([prefix, `${dir}#verify`, '', '', format, jwk, '0']);
    const after = loadavg();
    if (print) {
      const row = (name: string, r: ChildResult) =>
        `${name.padEnd(14)} ${String(r.records).padStart(9)} records  ${r.seconds.toFixed(1).padStart(6)} s  ${Math.round(r.records / r.seconds).toString().padStart(7)} records/s  RSS ${r.startRssMb.toFixed(0)} MB at start, peak ${r.peakRssMb.toFixed(0)} MB (JS heap peak ${r.peakHeapMb.toFixed(0)} MB)`;
      console.log(row(`export ${format}`, exported) + `, page size ${pageSize}` + (exportHeapMb === undefined ? '' : `, old space capped at ${exportHeapMb} MB`));
      console.log(`${' '.repeat(15)}${(exported.bytes / 1e6).toFixed(0)} MB written`);
      console.log(row('verify-export', verified));
      console.log(`load average ${before.map((l) => l.toFixed(2)).join(' ')} before, ${after.map((l) => l.toFixed(2)).join(' ')} after`);
    }
    return { exported, verified, load: { before, after } };
  } finally {
    await client.indices.delete({ index: `${prefix}-*` }).catch(() => undefined);
    await client.indices.deleteIndexTemplate({ name: `${prefix}-*` }).catch(() => undefined);
    await client.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** The `npm run bench` section: an unfiltered JSON-lines export of `count` records, then its offline verification. */
export async function benchExportThroughput(count: number): Promise<BenchRow[]> {
  const { exported, verified, load } = await benchExport(count, 'jsonl', { print: false });
  const rate = (r: ChildResult) => Math.round(r.records / r.seconds).toLocaleString('en-US');
  const mb = (value: number) => `${value.toFixed(0)} MB`;
  const loads = (values: number[]) => values.map((l) => l.toFixed(2)).join(', ');
  return [
    { measure: `export, ${count.toLocaleString('en-US')} records (JSON lines, every file SHA-256, signed manifest)`, value: `${rate(exported)} records/s (${exported.seconds.toFixed(1)} s, ${(exported.bytes / 1e6).toFixed(0)} MB written)`, target: '≥ 50,000 records/s' },
    { measure: 'exporter peak RSS', value: `${mb(exported.peakRssMb)} (${mb(exported.startRssMb)} at start, JS heap peak ${mb(exported.peakHeapMb)})` },
    { measure: 'verify-export of that bundle (offline, every record against its seal)', value: `${rate(verified)} records/s (${verified.seconds.toFixed(1)} s), peak RSS ${mb(verified.peakRssMb)}` },
    { measure: 'load average (1, 5, 15 min) before the export / after verification', value: `${loads(load.before)} / ${loads(load.after)}` },
  ];
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === '--child') {
    child().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  } else {
    const count = Number(flag('--records') ?? 200_000);
    const format = (flag('--format') ?? 'jsonl') as ExportFormat;
    const heap = flag('--export-heap-mb');
    const pageSize = flag('--page-size');
    benchExport(count, format, { ...(heap === undefined ? {} : { exportHeapMb: Number(heap) }), ...(pageSize === undefined ? {} : { pageSize: Number(pageSize) }) }).catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  }
}
