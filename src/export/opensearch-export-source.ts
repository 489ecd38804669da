// The export's reads from OpenSearch: records by range and filters, a seal's records outside the range, seals
// covering the range, dead letters by origin or time. Every scan holds a point in time and pages with search_after.
import type { Client } from '@opensearch-project/opensearch';
import type { AuditRecord } from '../core/record.js';
import type { SealStream } from '../integrity/seal-format.js';
import type { TimeRange } from '../store/audit-store.js';
import type { DeadLetterDocument } from '../store/opensearch/dead-letter-store.js';
import { readAlias, type IndexKind } from '../store/opensearch/index-names.js';
import { pitScan, rawPitScan, type Clause } from '../store/opensearch/pit-scan.js';
import type { RawHit } from '../store/opensearch/raw-hits.js';
import { recordClauses } from '../store/opensearch/record-query.js';
import type { DeadLetterLine } from './bundle-layout.js';
import type { ExportSource, StoredRecordJson, StoredSeal } from './export-source.js';
import { recordFilterOf, type ExportFilters } from './filters.js';

const keepAlive = '5m';

export function openSearchExportSource(client: Client, indexPrefix: string): ExportSource {
  const scan = <T>(kind: IndexKind, clauses: Clause[], sort: Clause[], pageSize: number, mustNot: Clause[] = [], source?: string[]) =>
    pitScan<T>(client, {
      index: readAlias(indexPrefix, kind),
      query: { bool: { filter: clauses, must_not: mustNot } },
      sort,
      pageSize,
      ...(source === undefined ? {} : { source }),
      // Writes become searchable only at a refresh: without one, records stored just before the export would be missing.
      refresh: true,
      keepAlive,
    });
  const originClauses = (field: string, stream: SealStream, offsets: { first: string; last: string }): Clause[] => [
    { term: { [`${field}.topic`]: { value: stream.topic } } },
    { term: { [`${field}.partition`]: { value: stream.partition } } },
    { range: { [`${field}.offset`]: { gte: offsets.first, lte: offsets.last } } },
  ];
  const inRange = (range: TimeRange): Clause => ({ range: { '@timestamp': { gte: range.from.toISOString(), lt: range.to.toISOString() } } });

  return {
    records: {
      scan: (range: TimeRange, filters: ExportFilters, pageSize: number) =>
        storedRecords(
          rawPitScan(client, {
            index: readAlias(indexPrefix, 'audit'),
            query: { bool: { filter: recordClauses(recordFilterOf(filters, range.from, range.to)) } },
            // Storage order: sorting millions by time costs OpenSearch more than reading them; event.id breaks ties between shards.
            sort: [{ _doc: 'asc' }, { 'event.id': 'asc' }],
            // The range's two halves read side by side: OpenSearch fetches one while the other is written.
            lanes: halves(range),
            pageSize,
            pick: ['modtrail', 'origin'],
            refresh: true,
            keepAlive,
          }),
        ),
      async count(range: TimeRange, filters: ExportFilters): Promise<number> {
        const index = readAlias(indexPrefix, 'audit');
        const { body: exists } = await client.indices.existsAlias({ name: index });
        if (exists !== true) return 0;
        const { body } = await client.count({ index, body: { query: { bool: { filter: recordClauses(recordFilterOf(filters, range.from, range.to)) } } } });
        return body.count;
      },
      sealedOutside: (stream, offsets, range, pageSize) =>
        scan<AuditRecord>('audit', originClauses('modtrail.origin', stream, offsets), [{ 'modtrail.origin.offset': 'asc' }, { 'event.id': 'asc' }], pageSize, [inRange(range)]),
    },
    seals: {
      async *sealsCovering(range: TimeRange) {
        // First the sequences that meet the range, per stream (aggregated from doc values: a seal's source is megabytes);
        // then every seal from the first to the last of them.
        const meets: Clause[] = [{ range: { 'time.from': { lt: range.to.toISOString() } } }, { range: { 'time.to': { gte: range.from.toISOString() } } }];
        for (const { stream, min, max } of await sequenceRuns(client, readAlias(indexPrefix, 'seals'), meets)) {
          const clauses = [{ term: { 'stream.topic': { value: stream.topic } } }, { term: { 'stream.partition': { value: stream.partition } } }, { range: { sequence: { gte: min, lte: max } } }];
          // A seal holds one entry per offset (about 1.5 MB at 10,000): two at a time keeps memory flat. The whole
          // source is read: filtering it would make OpenSearch parse megabytes to drop a few small fields.
          for await (const page of scan<StoredSeal>('seals', clauses, [{ sequence: 'asc' }], 2)) {
            yield page.map(({ jws, stream: s, sequence, offsets, time }) => ({ jws, stream: s, sequence, offsets: { first: String(offsets.first), last: String(offsets.last) }, time: time ?? null }));
          }
        }
      },
    },
    deadLetters: {
      inOffsets: (stream, offsets, pageSize) => lettersOf(scan<DeadLetterDocument>('deadletters', originClauses('origin', stream, offsets), [{ 'origin.offset': 'asc' }], pageSize)),
      inTime: (range, pageSize) =>
        lettersOf(scan<DeadLetterDocument>('deadletters', [inRange(range)], [{ '@timestamp': 'asc' }, { 'origin.topic': 'asc' }, { 'origin.partition': 'asc' }, { 'origin.offset': 'asc' }], pageSize)),
    },
  };
}


async function* lettersOf(pages: AsyncIterable<DeadLetterDocument[]>): AsyncIterable<DeadLetterLine[]> {
  for await (const page of pages) {
    yield page.map((doc) => ({
      origin: { topic: doc.origin.topic, partition: doc.origin.partition, offset: String(doc.origin.offset) },
      code: doc.code,
      reason: doc.reason,
      stage: doc.stage,
      time: doc['@timestamp'],
      original_base64: doc.original,
    }));
  }
}

/** The range split at its middle instant, each half as a filter; together they hold each record of the range once. */
function halves(range: TimeRange): Clause[] {
  const middle = new Date(range.from.getTime() + Math.floor((range.to.getTime() - range.from.getTime()) / 2)).toISOString();
  return [{ range: { '@timestamp': { lt: middle } } }, { range: { '@timestamp': { gte: middle } } }];
}

const isOrigin = (value: unknown): value is { topic: string; partition: number; offset: string } => {
  const origin = value as { topic?: unknown; partition?: unknown; offset?: unknown } | null | undefined;
  return typeof origin?.topic === 'string' && typeof origin.partition === 'number' && typeof origin.offset === 'string';
};

/** Stored records as their bytes, each with the Kafka origin it names (undefined when it names no whole one). */
async function* storedRecords(pages: AsyncIterable<RawHit[]>): AsyncIterable<StoredRecordJson[]> {
  for await (const page of pages) {
    yield page.map(({ source, picked }) => ({ json: source, origin: isOrigin(picked) ? picked : undefined }));
  }
}

/** Per stream, the lowest and highest sequence of the seals that match, by stream (a composite aggregation, paged). */
async function sequenceRuns(client: Client, index: string, filter: Clause[]): Promise<{ stream: SealStream; min: number; max: number }[]> {
  const { body: exists } = await client.indices.existsAlias({ name: index });
  if (exists !== true) return [];
  await client.indices.refresh({ index }).catch(() => undefined);
  const runs: { stream: SealStream; min: number; max: number }[] = [];
  let after: Record<string, unknown> | undefined;
  for (;;) {
    const request: Record<string, unknown> = {
      size: 0,
      query: { bool: { filter } },
      aggs: {
        streams: {
          composite: { size: 1000, sources: [{ topic: { terms: { field: 'stream.topic' } } }, { partition: { terms: { field: 'stream.partition' } } }], ...(after ? { after } : {}) },
          aggs: { min: { min: { field: 'sequence' } }, max: { max: { field: 'sequence' } } },
        },
      },
    };
    const { body } = await client.search({ index, body: request });
    const streams = (body.aggregations as { streams: { buckets: { key: { topic: string; partition: number }; min: { value: number }; max: { value: number } }[]; after_key?: Record<string, unknown> } }).streams;
    for (const { key, min, max } of streams.buckets) runs.push({ stream: { topic: key.topic, partition: key.partition }, min: min.value, max: max.value });
    if (streams.buckets.length === 0 || streams.after_key === undefined) return runs;
    after = streams.after_key;
  }
}
