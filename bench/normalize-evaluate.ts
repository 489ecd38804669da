// Normalize throughput per format, and normalize + evaluate together on a mix, on one core (one JS thread).
import { sourceFormats, type RawEvent, type SourceFormat } from '../src/core/component.js';
import { OpaEvaluator } from '../src/evaluate/opa/opa-evaluator.js';
import { judgedView } from '../src/evaluate/opa/judged-view.js';
import { createNormalizer } from '../src/normalize/normalizer.js';
import { parsers } from '../src/pipeline/registry.js';
import type { AuditRecord } from '../src/core/record.js';
import { medianMs } from './machine.js';
import { realisticEvents } from './realistic-events.js';

const perFormat = 20_000;
const batchSize = 500;
const timedRuns = 5;

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
  // One event per API request: a trickle next to the proxies.
  'modtrail-api': 0.005,
  // One event per index deleted past retention: a few a day.
  'modtrail-lifecycle': 0.0001,
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
    const ms = await medianMs(timedRuns, () => {
      const ingestedAt = new Date();
      for (const event of events) normalize(event, ingestedAt);
    });
    rows.push({ measure: `normalize ${format}`, value: `${Math.round((events.length / ms) * 1000).toLocaleString('en-US')} records/s` });
    equalMix.push(...events.slice(0, perFormat / supported.length));
    trafficMix.push(...events.slice(0, Math.round(perFormat * trafficShares[format])));
  }

  // Each timed run gets a fresh evaluator, so its decision cache starts empty and every run pays for its own misses,
  // as the first minutes of a stream would; the warm-up run has its own evaluator too.
  const freshEvaluator = async (): Promise<OpaEvaluator> => {
    const evaluator = new OpaEvaluator({ bundleDir: 'policies/bundle', dataFile: 'policies/data/default.json' });
    await evaluator.start();
    return evaluator;
  };
  const judge = async (mix: RawEvent[]): Promise<number> => {
    const evaluators = await Promise.all(Array.from({ length: timedRuns + 1 }, freshEvaluator));
    let run = 0;
    const ms = await medianMs(timedRuns, async () => {
      const evaluator = evaluators[run++]!;
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
    for (const evaluator of evaluators) await evaluator.stop();
    return ms;
  };
  const rate = (events: number, ms: number): string => `${Math.round((events / ms) * 1000).toLocaleString('en-US')} records/s`;
  const distinctShare = (mix: RawEvent[]): string => {
    const views = new Set<string>();
    for (const event of mix) {
      const result = normalize(event, new Date());
      if (result.ok) views.add(JSON.stringify(judgedView(result.record)));
    }
    return `${Math.round((views.size / mix.length) * 100)}% distinct judged views`;
  };
  const shares = supported.map((format) => `${format} ${Math.round(trafficShares[format] * 100)}%`).join(', ');
  rows.push({
    measure: `normalize + evaluate, traffic mix (${shares}; ${distinctShare(trafficMix)}), batches of ${batchSize}`,
    value: rate(trafficMix.length, await judge(trafficMix)),
    target: '≥ 50,000 records/s',
  });
  rows.push({ measure: `normalize + evaluate, equal share of ${supported.length} formats (${distinctShare(equalMix)}), batches of ${batchSize}`, value: rate(equalMix.length, await judge(equalMix)) });

  // The floor: no two records alike (a unique version on each), so neither the batch dedupe nor the cache can help.
  const distinct = trafficMix.flatMap((event, i) => {
    const result = normalize(event, new Date());
    if (!result.ok) return [];
    const record = result.record;
    if (record.package) record.package = { ...record.package, version: `v0.0.${i}` };
    else record.url = { path: `/distinct/${i}` };
    return [record];
  });
  const evaluators = await Promise.all(Array.from({ length: timedRuns + 1 }, freshEvaluator));
  let run = 0;
  const floorMs = await medianMs(timedRuns, async () => {
    const evaluator = evaluators[run++]!;
    for (let start = 0; start < distinct.length; start += batchSize) await evaluator.evaluate(distinct.slice(start, start + batchSize));
  });
  rows.push({ measure: `evaluate alone, every record distinct (no dedupe, no cache hits), batches of ${batchSize}`, value: rate(distinct.length, floorMs) });
  for (const evaluator of evaluators) await evaluator.stop();
  return rows;
}
