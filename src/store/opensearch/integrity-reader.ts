import type { Client } from '@opensearch-project/opensearch';
import type { AuditRecord } from '../../core/record.js';
import type { DeadLetterEvidence } from '../../integrity/entry-hash.js';
import type { SealStream } from '../../integrity/seal-format.js';
import type { IntegritySource, OffsetBounds, SealSummary } from '../../integrity/verify-range.js';
import type { TimeRange } from '../audit-store.js';
import { evidenceOf, type DeadLetterDocument } from './dead-letter-store.js';
import { readAlias } from './index-names.js';
import { isMissingIndex } from './seal-store.js';
import { pitScan, type Clause } from './pit-scan.js';

const pageSize = 1000;
const streamClauses = (field: string, stream: SealStream): Clause[] => [{ term: { [`${field}.topic`]: stream.topic } }, { term: { [`${field}.partition`]: stream.partition } }];
const sealQuery = (stream: SealStream, bounds: OffsetBounds): { bool: { filter: Clause[] } } => ({
  bool: {
    filter: [...streamClauses('stream', stream), { range: { 'offsets.last': { gte: bounds.first.toString() } } }, { range: { 'offsets.first': { lte: bounds.last.toString() } } }],
  },
});
const offsetRange = (field: string, bounds: OffsetBounds): Clause => ({ range: { [field]: { gte: bounds.first.toString(), lte: bounds.last.toString() } } });

/** What `modtrail verify` reads: seals, records and dead letters, by time range, stream and offset range. */
export class OpenSearchIntegrityReader implements IntegritySource {
  constructor(
    private readonly client: Client,
    private readonly indexPrefix: string,
  ) {}

  /** Each stream with records or seals in the time range, and the offsets they span. */
  async streams(range: TimeRange): Promise<Map<string, { stream: SealStream; bounds: OffsetBounds }>> {
    const found = new Map<string, { stream: SealStream; bounds: OffsetBounds }>();
    const note = (topic: string, partition: number, first: bigint, last: bigint) => {
      const key = `${topic}\u0000${partition}`;
      const known = found.get(key);
      if (known === undefined) found.set(key, { stream: { topic, partition }, bounds: { first, last } });
      else known.bounds = { first: first < known.bounds.first ? first : known.bounds.first, last: last > known.bounds.last ? last : known.bounds.last };
    };
    const from = range.from.toISOString();
    const to = range.to.toISOString();
    // Writes become searchable only at a refresh: without one, what was stored in the last second would look deleted.
    const indices = (['audit', 'seals', 'deadletters'] as const).map((kind) => readAlias(this.indexPrefix, kind));
    await this.client.indices.refresh({ index: indices, ignore_unavailable: true, allow_no_indices: true }).catch(() => undefined);
    await this.composite('audit', 'modtrail.origin', { range: { '@timestamp': { gte: from, lt: to } } }, 'modtrail.origin.offset', note);
    await this.composite(
      'seals',
      'stream',
      {
        bool: {
          should: [
            { bool: { filter: [{ range: { 'time.from': { lt: to } } }, { range: { 'time.to': { gte: from } } }] } },
            { bool: { filter: [{ range: { sealed_at: { gte: from, lt: to } } }], must_not: [{ exists: { field: 'time.from' } }] } },
          ],
          minimum_should_match: 1,
        },
      },
      null,
      note,
    );
    return found;
  }

  /** A stream's seals whose offsets overlap the bounds, by sequence: the searchable copies only, not the JWS. */
  async sealSummaries(stream: SealStream, bounds: OffsetBounds): Promise<SealSummary[]> {
    const summaries: SealSummary[] = [];
    const pages = this.scan<{ sequence: number; offsets: { first: string; last: string } }>('seals', sealQuery(stream, bounds), [{ sequence: 'asc' }, { hash: 'asc' }], [
      'sequence',
      'offsets',
    ]);
    for await (const page of pages) for (const doc of page) summaries.push({ sequence: doc.sequence, first: BigInt(doc.offsets.first), last: BigInt(doc.offsets.last) });
    return summaries;
  }

  /** The compact JWS of a stream's seals with sequences in the range that overlap the bounds. */
  async sealJws(stream: SealStream, sequences: { from: number; to: number }, bounds: OffsetBounds): Promise<string[]> {
    const query = sealQuery(stream, bounds);
    query.bool.filter.push({ range: { sequence: { gte: sequences.from, lte: sequences.to } } });
    const jws: string[] = [];
    for await (const page of this.scan<{ jws: string }>('seals', query, [{ sequence: 'asc' }, { hash: 'asc' }], ['jws'])) jws.push(...page.map((doc) => doc.jws));
    return jws;
  }

  /** Records of a stream at offsets within the bounds, in pages by offset. */
  records(stream: SealStream, bounds: OffsetBounds): AsyncIterable<AuditRecord[]> {
    const query = { bool: { filter: [...streamClauses('modtrail.origin', stream), offsetRange('modtrail.origin.offset', bounds)] } };
    return this.scan<AuditRecord>('audit', query, [{ 'modtrail.origin.offset': 'asc' }, { 'event.id': 'asc' }]);
  }

  /** Records in the time range that name no complete Kafka origin, so no stream's seals can account for them. */
  unattributed(range: TimeRange): AsyncIterable<AuditRecord[]> {
    const missing = (field: string): Clause => ({ bool: { must_not: { exists: { field: `modtrail.origin.${field}` } } } });
    const query = {
      bool: {
        filter: [{ range: { '@timestamp': { gte: range.from.toISOString(), lt: range.to.toISOString() } } }],
        should: [missing('topic'), missing('partition'), missing('offset')],
        minimum_should_match: 1,
      },
    };
    return this.scan<AuditRecord>('audit', query, [{ '@timestamp': 'asc' }, { 'event.id': 'asc' }]);
  }

  /** Dead letters of a stream at offsets within the bounds. */
  async deadLetters(stream: SealStream, bounds: OffsetBounds): Promise<DeadLetterEvidence[]> {
    const query = { bool: { filter: [...streamClauses('origin', stream), offsetRange('origin.offset', bounds)] } };
    const letters: DeadLetterEvidence[] = [];
    for await (const page of this.scan<DeadLetterDocument>('deadletters', query, [{ 'origin.offset': 'asc' }, { original_sha256: 'asc' }])) letters.push(...page.map(evidenceOf));
    return letters;
  }

  /** Terms of a stream field pair, with min and max offsets, over every bucket (composite aggregation pages). */
  private async composite(
    kind: 'audit' | 'seals',
    field: string,
    query: Clause,
    offsetField: string | null,
    note: (topic: string, partition: number, first: bigint, last: bigint) => void,
  ): Promise<void> {
    let after: Record<string, unknown> | undefined;
    for (;;) {
      let body: { aggregations?: { streams?: { buckets: Bucket[]; after_key?: Record<string, unknown> } } };
      try {
        ({ body } = (await this.client.search({
          index: readAlias(this.indexPrefix, kind),
          // The request body is built as plain data; the client's generated types do not model composite `after`.
          body: {
            size: 0,
            query,
            aggs: {
              streams: {
                composite: {
                  size: 500,
                  sources: [{ topic: { terms: { field: `${field}.topic` } } }, { partition: { terms: { field: `${field}.partition` } } }],
                  ...(after ? { after } : {}),
                },
                aggs:
                  offsetField === null
                    ? { first: { min: { field: 'offsets.first' } }, last: { max: { field: 'offsets.last' } } }
                    : { first: { min: { field: offsetField } }, last: { max: { field: offsetField } } },
              },
            },
          },
        } as never)) as unknown as { body: typeof body });
      } catch (error) {
        if (isMissingIndex(error)) return;
        throw error;
      }
      const result = body.aggregations?.streams;
      for (const bucket of result?.buckets ?? []) {
        // min/max come back as doubles: exact below 2^53, which Kafka offsets stay below in practice.
        note(String(bucket.key.topic), Number(bucket.key.partition), BigInt(Math.round(bucket.first.value ?? 0)), BigInt(Math.round(bucket.last.value ?? 0)));
      }
      if (!result?.after_key || (result.buckets ?? []).length === 0) return;
      after = result.after_key;
    }
  }

  private scan<T>(kind: 'audit' | 'seals' | 'deadletters', query: Clause, sort: Clause[], source?: string[]): AsyncIterable<T[]> {
    return pitScan<T>(this.client, { index: readAlias(this.indexPrefix, kind), query, sort, pageSize, ...(source ? { source } : {}) });
  }
}

interface Bucket {
  key: { topic: string | number; partition: string | number };
  first: { value: number | null };
  last: { value: number | null };
}
