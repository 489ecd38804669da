// In-process WASM decisions against the same policy in `opa run --server` over loopback HTTP, side by side in one run.
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { ensureOpa } from '../scripts/servers/opa.js';
import { sourceFormats } from '../src/core/component.js';
import type { AuditRecord } from '../src/core/record.js';
import { OpaEvaluator } from '../src/evaluate/opa/opa-evaluator.js';
import { policyView } from '../src/evaluate/opa/policy-view.js';
import { createNormalizer } from '../src/normalize/normalizer.js';
import { parsers } from '../src/pipeline/registry.js';
import { medianMs } from './machine.js';
import type { BenchRow } from './normalize-evaluate.js';
import { realisticEvents } from './realistic-events.js';

const port = Number(process.env.MODTRAIL_BENCH_OPA_PORT ?? 18181);
const serverRequests = 4000;
const concurrency = 8;

function realisticRecords(count: number): AuditRecord[] {
  const normalize = createNormalizer(parsers, {});
  const records: AuditRecord[] = [];
  for (const format of sourceFormats) {
    realisticEvents(format, Math.ceil(count / sourceFormats.length)).forEach((raw, offset) => {
      const result = normalize({ value: Buffer.from(raw), headers: { 'modtrail-format': format }, origin: { topic: 'bench', partition: 0, offset: String(offset) }, receivedAt: new Date() }, new Date());
      if (result.ok) records.push(result.record);
    });
  }
  return records.slice(0, count);
}

const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

/** One decision from the OPA server, the way most deployments ask: one record per query. */
function askServer(record: AuditRecord): Promise<string[]> {
  const body = JSON.stringify({ input: { records: [policyView(record)] } });
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/v1/data/modtrail/decisions', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => {
          const parsed = JSON.parse(text) as { result?: { ids: string[] }[] };
          if (!parsed.result?.[0]) reject(new Error(`OPA server answered ${res.statusCode}: ${text.slice(0, 200)}`));
          else resolve(parsed.result[0].ids);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function waitForServer(): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('opa run --server did not become healthy');
}

export async function benchOpaServer(): Promise<BenchRow[]> {
  const opa = await ensureOpa();
  const server = spawn(opa, ['run', '--server', '--addr', `127.0.0.1:${port}`, '--log-level', 'error', 'policies/rego', 'policies/data/default.json'], { stdio: 'ignore' });
  try {
    await waitForServer();
    const records = realisticRecords(20_000);
    // No decision cache across runs: every timed run re-judges the same records, and cache hits would flatter it.
    const evaluator = new OpaEvaluator({ bundleDir: 'policies/bundle', dataFile: 'policies/data/default.json', cacheSize: 0 });
    await evaluator.start();

    // The two must agree, or the comparison means nothing.
    const sample = records.slice(0, 300);
    const local = await evaluator.evaluate(sample);
    const remote = await Promise.all(sample.map(askServer));
    const disagreements = sample.filter((_, i) => local[i]!.ids.join(',') !== remote[i]!.join(',')).length;
    if (disagreements > 0) throw new Error(`in-process and server decisions differ on ${disagreements} of ${sample.length} records`);

    const inProcessMs = await medianMs(5, async () => {
      await evaluator.evaluate(records);
    });
    await evaluator.stop();

    const queries = records.slice(0, serverRequests);
    const serverMs = await medianMs(3, async () => {
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < queries.length) await askServer(queries[next++]!);
        }),
      );
    });

    const inProcessRate = (records.length / inProcessMs) * 1000;
    const serverRate = (queries.length / serverMs) * 1000;
    return [
      { measure: 'in-process WASM decisions (batches of 500)', value: `${Math.round(inProcessRate).toLocaleString('en-US')} decisions/s` },
      { measure: `opa run --server, one record per HTTP query, ${concurrency} concurrent keep-alive connections`, value: `${Math.round(serverRate).toLocaleString('en-US')} decisions/s` },
      { measure: 'in-process ÷ server', value: `${(inProcessRate / serverRate).toFixed(1)}×`, target: '≥ 20×' },
    ];
  } finally {
    server.kill('SIGTERM');
    agent.destroy();
  }
}
