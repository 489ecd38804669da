// The API query benchmark: N realistic records in the real OpenSearch, then module-history questions asked over
// HTTP of the real API (createApp on a loopback listener, a verified JWT on every request), one at a time.
//   npx tsx bench/module-history.ts [--records 1000000]      (npm run bench runs it at 1,000,000)
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { ApiServer } from '../src/api/api-server.js';
import { createApp } from '../src/api/app.js';
import { createTokenVerifier } from '../src/api/auth/token-verifier.js';
import { apiConfigSchema } from '../src/api/config.js';
import { testIssuer } from '../src/api/testing/test-tokens.js';
import type { SourceFormat } from '../src/core/component.js';
import type { AuditRecord } from '../src/core/record.js';
import { opensearchReady } from '../scripts/servers/opensearch.js';
import { opensearchUrl } from '../scripts/servers/places.js';
import { createNormalizer } from '../src/normalize/normalizer.js';
import { parsers } from '../src/pipeline/registry.js';
import { OpenSearchSink } from '../src/sinks/opensearch/opensearch-sink.js';
import { createOpenSearchClient } from '../src/store/opensearch/client.js';
import { PageCursors } from '../src/store/opensearch/page-cursor.js';
import { OpenSearchAuditQuery } from '../src/store/opensearch/record-query.js';
import { createLogger } from '../src/telemetry/logger.js';
import type { BenchRow } from './normalize-evaluate.js';
import { realisticEvents } from './realistic-events.js';

const proxyFormats: SourceFormat[] = ['athens', 'artifactory-request', 'artifactory-access', 'nexus-request'];
const writeChunk = 5000;
const warmUp = 50;
const timedQueries = 1000;

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const ms = (value: number): string => `${value.toFixed(1)} ms`;

/** N proxy records, normalized by the real parsers, spread over the formats; written create-only in bulk. */
async function seed(sink: OpenSearchSink, count: number): Promise<{ modules: string[]; versions: Map<string, string[]> }> {
  const normalize = createNormalizer(parsers, {});
  const perFormat = Math.ceil(count / proxyFormats.length);
  const modules = new Set<string>();
  const versions = new Map<string, Set<string>>();
  let written = 0;
  for (const format of proxyFormats) {
    const lines = realisticEvents(format, perFormat);
    for (let start = 0; start < lines.length && written < count; start += writeChunk) {
      const records: AuditRecord[] = [];
      for (let i = start; i < Math.min(lines.length, start + writeChunk) && written + records.length < count; i++) {
        const result = normalize(
          { value: Buffer.from(lines[i]!), headers: { 'modtrail-format': format }, origin: { topic: `bench-${format}`, partition: 0, offset: String(i) }, receivedAt: new Date('2026-11-24T12:00:00Z') },
          new Date(),
        );
        if (!result.ok) continue;
        records.push(result.record);
        const name = result.record.package?.name;
        if (name === undefined) continue;
        modules.add(name);
        const version = result.record.package?.version;
        if (version !== undefined) versions.set(name, (versions.get(name) ?? new Set()).add(version));
      }
      const settlements = await sink.write(records);
      const failed = settlements.filter((s) => s.status !== 'delivered');
      if (failed.length > 0) throw new Error(`${failed.length} records not stored, e.g. ${JSON.stringify(failed[0])}`);
      written += records.length;
    }
  }
  return { modules: [...modules], versions: new Map([...versions].map(([name, set]) => [name, [...set]])) };
}

async function timeQueries(paths: string[], url: string, token: string): Promise<number[]> {
  const times: number[] = [];
  for (const [i, path] of paths.entries()) {
    const start = process.hrtime.bigint();
    const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = await response.text();
    const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${body.slice(0, 200)}`);
    if (i >= warmUp) times.push(elapsed);
  }
  return times.sort((a, b) => a - b);
}

export async function benchModuleHistory(count: number): Promise<BenchRow[]> {
  if (!(await opensearchReady().catch(() => false))) throw new Error('OpenSearch is not running: npm run servers:up');
  const prefix = `bench-history-${randomUUID().slice(0, 8)}`;
  const client = createOpenSearchClient({ node: opensearchUrl(), indexPrefix: prefix, requestTimeoutMs: 120_000 });
  const sink = new OpenSearchSink(client, prefix);
  const logger = createLogger('warn');
  let server: ApiServer | undefined;
  try {
    await sink.start();
    const seedStart = Date.now();
    const { modules, versions } = await seed(sink, count);
    await client.indices.refresh({ index: `${prefix}-audit*` });
    const stored = (await client.count({ index: `${prefix}-audit` })).body.count as number;
    const seedSeconds = (Date.now() - seedStart) / 1000;

    const idp = await testIssuer();
    const config = apiConfigSchema.parse({ enabled: true, auth: { issuer: idp.issuer, audience: idp.audience, publicKeys: idp.jwks } });
    const app = createApp({
      config,
      verifyToken: createTokenVerifier(config.auth),
      query: new OpenSearchAuditQuery(client, prefix, new PageCursors(), '1m'),
      // The audit trail's Kafka send happens after the answer; the benchmark leaves it out.
      auditLog: { record: () => undefined },
      logger,
      policy: { data: () => Promise.reject(new Error('unused')), judge: () => Promise.reject(new Error('unused')), reload: () => Promise.reject(new Error('unused')) },
    });
    server = new ApiServer(app, { host: '127.0.0.1', port: 0 }, [], logger);
    await server.start();
    const url = `http://127.0.0.1:${server.port}`;
    const token = await idp.sign({ sub: 'bench', roles: ['analyst'] }, { expiresIn: '2h' });

    // Deterministic mix: the first page of a module's history, half of them narrowed to one version.
    const history = Array.from({ length: warmUp + timedQueries }, (_, i) => {
      const module = modules[(i * 7) % modules.length]!;
      const known = versions.get(module) ?? [];
      const version = i % 2 === 0 && known.length > 0 ? `&version=${encodeURIComponent(known[i % known.length]!)}` : '';
      return `/v1/modules/${module}/downloads?limit=50${version}`;
    });
    const historyTimes = await timeQueries(history, url, token);
    const aggregation = Array.from({ length: warmUp + 200 }, (_, i) => `/v1/modules/${modules[(i * 3) % modules.length]!}/versions`);
    const versionTimes = await timeQueries(aggregation, url, token);
    return [
      { measure: 'records stored for the queries', value: `${stored.toLocaleString('en-US')} (${modules.length} modules, seeded in ${seedSeconds.toFixed(0)} s)` },
      { measure: 'module history (first page of 50, half with a version filter): p50', value: ms(percentile(historyTimes, 50)) },
      { measure: 'module history: p95', value: ms(percentile(historyTimes, 95)), target: '≤ 30 ms' },
      { measure: 'module history: p99', value: ms(percentile(historyTimes, 99)) },
      { measure: 'module versions (aggregation): p50 / p95', value: `${ms(percentile(versionTimes, 50))} / ${ms(percentile(versionTimes, 95))}` },
    ];
  } finally {
    await server?.stop();
    await client.indices.delete({ index: `${prefix}-*` }).catch(() => undefined);
    await client.indices.deleteIndexTemplate({ name: `${prefix}-*` }).catch(() => undefined);
    await client.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--records');
  const count = i === -1 ? 1_000_000 : Number(process.argv[i + 1]);
  benchModuleHistory(count)
    .then((rows) => {
      for (const row of rows) console.log(`${row.measure}: ${row.value}${row.target ? ` (target ${row.target})` : ''}`);
    })
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
