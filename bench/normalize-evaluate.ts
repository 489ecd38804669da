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

/**
 * Shares of a production stream: proxy access lines are nearly all of it (each download logs a request line and,
 * on Artifactory, an access line); Go-settings changes from agents and Sysmon are rare by comparison.
 */
const trafficShares: Record<SourceFormat, number> = {
  athens: 0.3,
  'artifactory-request': 0.25,
  'artifactory-access': 0.2,
  'nexus-request': 0.2,
  agent: 0.03,
  sysmon: 0.02,
};

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
  const equalMix: RawEvent[] = [];
  const trafficMix: RawEvent[] = [];

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
    equalMix.push(...events.slice(0, perFormat / supported.length));
    trafficMix.push(...events.slice(0, Math.round(perFormat * trafficShares[format])));
  }

  const evaluator = new OpaEvaluator({ bundleDir: 'policies/bundle', dataFile: 'policies/data/default.json' });
  await evaluator.start();
  const judge = async (mix: RawEvent[]): Promise<number> =>
    medianMs(5, async () => {
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
  const rate = (events: number, ms: number): string => `${Math.round((events / ms) * 1000).toLocaleString('en-US')} records/s`;
  const shares = supported.map((format) => `${format} ${Math.round(trafficShares[format] * 100)}%`).join(', ');
  rows.push({ measure: `normalize + evaluate, traffic mix (${shares}), batches of ${batchSize}`, value: rate(trafficMix.length, await judge(trafficMix)), target: '≥ 50,000 records/s' });
  rows.push({ measure: `normalize + evaluate, equal share of ${supported.length} formats, batches of ${batchSize}`, value: rate(equalMix.length, await judge(equalMix)) });
  await evaluator.stop();
  return rows;
}
