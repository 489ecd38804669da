// Normalize throughput per format, and normalize + evaluate together on a mix, on one core (one JS thread).
import { sourceFormats, type RawEvent, type SourceFormat } from '../src/core/component.js';
import { OpaEvaluator } from '../src/evaluate/opa/opa-evaluator.js';
import { createNormalizer } from '../src/normalize/normalizer.js';
import { parsers } from '../src/pipeline/registry.js';
import type { AuditRecord } from '../src/core/record.js';
import { medianMs } from './machine.js';
import { realisticEvents } from './realistic-events.js';

const perFormat = 20_000;
const batchSize = 500;

function rawEvents(format: SourceFormat, lines: string[]): RawEvent[] {
  return lines.map((line, offset) => ({
    value: Buffer.from(line),
    headers: { 'modtrail-format': format },
    origin: { topic: 'bench', partition: 0, offset: String(offset) },
    receivedAt: new Date('2026-11-24T12:00:00Z'),
  }));
}

export interface BenchRow {
  measure: string;
  value: string;
  target?: string;
}

export async function benchNormalizeEvaluate(): Promise<BenchRow[]> {
  const normalize = createNormalizer(parsers, {});
  const rows: BenchRow[] = [];
  const supported = sourceFormats.filter((format) => parsers.some((parser) => parser.format === format));
  const mix: RawEvent[] = [];

  for (const format of supported) {
    const events = rawEvents(format, realisticEvents(format, perFormat));
    // A benchmark of rejections would flatter the parser: every generated event must become a record.
    const rejected = events.map((event) => normalize(event, new Date())).filter((result) => !result.ok);
    if (rejected.length > 0) throw new Error(`${format}: ${rejected.length} realistic events rejected, e.g. ${JSON.stringify(rejected[0])}`);
    const ms = await medianMs(5, () => {
      const ingestedAt = new Date();
      for (const event of events) normalize(event, ingestedAt);
    });
    rows.push({ measure: `normalize ${format}`, value: `${Math.round((events.length / ms) * 1000).toLocaleString('en-US')} records/s` });
    mix.push(...events.slice(0, perFormat / supported.length));
  }

  const evaluator = new OpaEvaluator({ bundleDir: 'policies/bundle', dataFile: 'policies/data/default.json' });
  await evaluator.start();
  const ms = await medianMs(5, async () => {
    const ingestedAt = new Date();
    for (let start = 0; start < mix.length; start += batchSize) {
      const records: AuditRecord[] = [];
      for (const event of mix.slice(start, start + batchSize)) {
        const result = normalize(event, ingestedAt);
        if (result.ok) records.push(result.record);
      }
      await evaluator.evaluate(records);
    }
  });
  await evaluator.stop();
  rows.push({
    measure: `normalize + evaluate, mix of ${supported.length} formats, batches of ${batchSize}`,
    value: `${Math.round((mix.length / ms) * 1000).toLocaleString('en-US')} records/s`,
    target: '≥ 50,000 records/s',
  });
  return rows;
}
