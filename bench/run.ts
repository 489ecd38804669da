// `npm run bench`: runs every benchmark in one process, one after another, and writes docs/BENCHMARKS.md.
import { writeFileSync } from 'node:fs';
import { machineDescription } from './machine.js';
import { benchNormalizeEvaluate, type BenchRow } from './normalize-evaluate.js';
import { benchOpaServer } from './opa-server.js';

const sections: { title: string; run: () => Promise<BenchRow[]>; method: string }[] = [
  {
    title: 'Normalize and evaluate (one core)',
    run: benchNormalizeEvaluate,
    method:
      '20,000 realistic events per format (bench/realistic-events.ts), normalized in one JS thread; median of 5 timed runs after a warm-up. ' +
      'Then normalize + evaluate (the compiled policy bundle, one WASM call per batch of 500) on two mixes: one weighted like ' +
      'production traffic (proxy access lines dominate; Go-settings events are rare), which carries the target, and an equal ' +
      'share of every format, for comparison.',
  },
  {
    title: 'Policy decisions: in process against an OPA server',
    run: benchOpaServer,
    method:
      'The same realistic records judged by the compiled WASM bundle in process, and by `opa run --server` (same Rego, same data) ' +
      'over loopback HTTP with one record per query, which is how most deployments call OPA. Both must agree on a sample before timing. ' +
      'The in-process evaluator sends only the fields the rules read and judges each distinct input once per batch, so part of the ' +
      'ratio comes from repeated fetches in the generated traffic (the same module versions through the same repositories).',
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
