// `npm run bench`: runs every benchmark in one process, one after another, and writes docs/BENCHMARKS.md.
import { writeFileSync } from 'node:fs';
import { machineDescription } from './machine.js';
import { benchNormalizeEvaluate, type BenchRow } from './normalize-evaluate.js';
import { benchOpaServer } from './opa-server.js';
import { benchAlertLatency } from './alert-latency.js';
import { benchModuleHistory } from './module-history.js';
import { benchExportThroughput } from './export.js';
import { benchStore, recommendedHeapMb } from './store-1m.js';

/** `npm run bench -- --store-events 50000` shortens the storage benchmark for a smoke test. */
const storeEventsFlag = process.argv.indexOf('--store-events');
const storeEvents = storeEventsFlag === -1 ? 1_000_000 : Number(process.argv[storeEventsFlag + 1]);

const sections: { title: string; run: () => Promise<BenchRow[]>; method: string }[] = [
  {
    title: 'Normalize and evaluate (one core)',
    run: benchNormalizeEvaluate,
    method:
      '20,000 realistic events per format (bench/realistic-events.ts), normalized in one JS thread; median of 5 timed runs after a warm-up. ' +
      'Then normalize + evaluate (the compiled policy bundle, one WASM call per batch of 500) on two mixes: one weighted like ' +
      'production traffic (proxy access lines dominate; Go-settings events are rare), which carries the target, and an equal ' +
      'share of every format, for comparison. Each timed run gets a fresh evaluator, so its decision cache starts empty and the run ' +
      'pays for every distinct judged view it meets (the share is in the row). The last row is the floor: every record made distinct, ' +
      'so neither the per-batch dedupe nor the cache can help.',
  },
  {
    title: 'Policy decisions: in process against an OPA server',
    run: benchOpaServer,
    method:
      'The same realistic records judged by the compiled WASM bundle in process, and by `opa run --server` (same Rego, same data) ' +
      'over loopback HTTP with one record per query, which is how most deployments call OPA. Both must agree on a sample before timing. ' +
      'The in-process evaluator sends only the fields the rules read and judges each distinct input once per batch (its cross-batch ' +
      'decision cache is off here, since the timed runs repeat the same records), so part of the ratio comes from repeated fetches ' +
      'in the generated traffic (the same module versions through the same repositories).',
  },
  {
    title: 'Alert latency: produce to webhook',
    run: benchAlertLatency,
    method:
      '500 Athens lines that each break policy (a new module outside the allowlist, so each its own alert and fingerprint), produced ' +
      'one by one at a steady 50 per second to the real Kafka; `modtrail serve` wiring (buildService) consumes, judges, stores the ' +
      'record and the alert in the real OpenSearch, writes the notification to the outbox, and posts it to a webhook receiver on ' +
      'loopback. Latency is from just before the produce call to the receiver reading the request; grouping off, throttle far above ' +
      'the rate, after one warm-up alert.',
  },
  {
    title: 'API: module-history queries at 1,000,000 records',
    run: () => benchModuleHistory(1_000_000),
    method:
      '1,000,000 proxy records (bench/realistic-events.ts through the real parsers) written create-only to the real OpenSearch; then ' +
      '1,000 `GET /v1/modules/{module}/downloads?limit=50` over loopback HTTP to the real API (createApp, JWT verified on every ' +
      'request), half with a version filter, one at a time after 50 warm-up requests; latency from the request to the last byte. ' +
      'Then 200 `GET /v1/modules/{module}/versions` (terms aggregation with cardinalities). The audit event send is left out.',
  },
  {
    title: 'Export throughput: 200,000 records, signed and hashed',
    run: () => benchExportThroughput(200_000),
    method:
      '200,000 realistic proxy records (bench/realistic-events.ts through the real Athens parser, each hashed) bulk-created into the ' +
      'real OpenSearch on one partition, with a signed seal per 10,000 offsets (seeding is not timed). Then `runExport` (the code ' +
      'behind `modtrail export` and POST /v1/exports) exports the whole range unfiltered as JSON lines in a fresh child process: ' +
      'point-in-time pages of 1,000 (the default export.pageSize) in storage order, each record copied as the bytes OpenSearch returned, ' +
      'SHA-256 of every file while writing, the 20 seals, the manifest ' +
      "signed; the rate is records over the whole run, and peak RSS is the child's, sampled every 25 ms. Then `verify-export`'s code " +
      'checks the bundle offline in another child. OpenSearch runs on the same 2 cores; the load average is reported with the figures.',
  },
  {
    title: `Storage: ${storeEvents.toLocaleString('en-US')} events through the service against the raw bulk ceiling`,
    run: () => benchStore({ events: storeEvents, seals: true, heapMb: recommendedHeapMb }),
    method:
      'Realistic events in production shares (bench/realistic-events.ts) are produced to a one-partition Kafka topic first. Then `modtrail ' +
      'serve` wiring (buildService, compiled by tsc, seal keys set) runs in a child process and consumes them into the real OpenSearch: ' +
      'normalize, evaluate, hash, store create-only, store alerts, seal. Then the ceiling: the same documents the pipeline stored, in its ' +
      'order, written by a tight loop with the same client and the sink\'s response filter, one request at a time: the records (normalized, ' +
      'judged and hashed once, serialized before timing into the very bytes the sink sends) in bulks of the mean batch size the service ' +
      "used, each followed by that batch's alerts (the alert store's documents), and the pipeline's own seal documents, read back from its " +
      'seals index, each after the batch holding its last offset. Then the records alone the same way (the ceiling as measured until ' +
      '2026-11-25), into fresh indices, for comparison. Every rate runs from the first record visible in the index to the last (count polled every 250 ms), which leaves ' +
      "out the consumer's group join. Peak RSS is the child's VmHWM from /proc. OpenSearch's and Kafka's CPU are summed over their " +
      "process groups in /proc for each leg. The policy data allowlists the generator's ordinary modules.",
  },
];

async function main(): Promise<void> {
  const date = new Date().toISOString().slice(0, 10);
  const machine = machineDescription();
  const parts = [`# Benchmarks\n\nWritten by \`npm run bench\` on ${date}, on ${machine}. Shared, noisy machines: compare figures from one run, not across runs.\n`];
  for (const section of sections) {
    console.log(`running: ${section.title}`);
    const rows = await section.run();
    parts.push(`## ${section.title}\n\n${section.method}\n\n| measure | result | target |\n| --- | --- | --- |`);
    for (const row of rows) {
      parts.push(`| ${row.measure} | ${row.value} | ${row.target ?? ''} |`);
      console.log(`  ${row.measure}: ${row.value}${row.target ? ` (target ${row.target})` : ''}`);
    }
    parts.push('');
  }
  writeFileSync('docs/BENCHMARKS.md', `${parts.join('\n')}\n`);
  console.log('wrote docs/BENCHMARKS.md');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
