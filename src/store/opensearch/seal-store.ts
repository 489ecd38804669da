import type { Client } from '@opensearch-project/opensearch';
import { ModtrailError } from '../../core/errors.js';
import type { AuditRecord } from '../../core/record.js';
import { sha256Hex } from '../../integrity/digest.js';
import { recordHash } from '../../integrity/record-hash.js';
import type { Seal, SealStream } from '../../integrity/seal-format.js';
import type { ChainHead } from '../../integrity/sealer.js';
import { dailyIndex, readAlias, sealsIndex } from './index-names.js';

/** A signed seal as the sealer hands it to the store. */
export interface SignedSeal {
  seal: Seal;
  jws: string;
  hash: string;
  kid: string;
  alg: string;
}

/** A stored record as the sealer needs it: where it came from, its id, the hash of what is stored, its time. */
export interface StoredRecordDigest {
  origin: { topic: string; partition: number; offset: string };
  id: string;
  hash: string;
  timestamp: string;
}

export const sealDocumentId = (stream: SealStream, sequence: number): string => `${stream.topic}/${stream.partition}/${sequence}`;

/**
 * The seals index (create-only, one document per seal, `_id` = topic/partition/sequence) and the reads the sealer
 * needs: the head of a chain to continue from, and the stored copies of replayed records.
 */
export class OpenSearchSealStore {
  constructor(
    private readonly client: Client,
    private readonly indexPrefix: string,
  ) {}

  /**
   * Where a stream's chain stands: the newest seal found by search, then realtime GETs past it, since a seal
   * written in the last second may not be searchable yet. Undefined when the stream has no seal.
   */
  async head(stream: SealStream): Promise<ChainHead | undefined> {
    let sequence = -1;
    try {
      const { body } = await this.client.search({
        index: readAlias(this.indexPrefix, 'seals'),
        body: {
          size: 1,
          query: { bool: { filter: [{ term: { 'stream.topic': stream.topic } }, { term: { 'stream.partition': stream.partition } }] } },
          sort: [{ sequence: 'desc' }],
          _source: ['sequence'],
        },
      });
      const hit = (body.hits.hits as { _source: { sequence: number } }[])[0];
      if (hit !== undefined) sequence = hit._source.sequence;
    } catch (error) {
      if (!isMissingIndex(error)) throw unavailable('reading the last seal', error);
    }
    let last: string | undefined;
    if (sequence >= 0) last = await this.jwsAt(stream, sequence);
    for (;;) {
      const next = await this.jwsAt(stream, sequence + 1);
      if (next === undefined) break;
      last = next;
      sequence++;
    }
    if (last === undefined) return undefined;
    const payload = Buffer.from(last.split('.')[1] ?? '', 'base64url');
    let seal: Seal;
    try {
      seal = JSON.parse(payload.toString('utf8')) as Seal;
    } catch {
      throw new ModtrailError('integrity.seal_conflict', `seal ${sealDocumentId(stream, sequence)} cannot be read, so the chain cannot be continued; run modtrail verify`);
    }
    if (seal?.stream === undefined || seal.offsets === undefined || seal.sequence !== sequence || seal.stream.topic !== stream.topic || seal.stream.partition !== stream.partition) {
      throw new ModtrailError('integrity.seal_conflict', `seal ${sealDocumentId(stream, sequence)} holds a payload for another stream or sequence`);
    }
    return { sequence: sequence + 1, previous: sha256Hex(payload), nextOffset: BigInt(seal.offsets.last) + 1n };
  }

  /** Stores a seal create-only. A seal already stored under its id means another writer sealed it: a fork, refused. */
  async create(signed: SignedSeal): Promise<void> {
    const { seal } = signed;
    const id = sealDocumentId(seal.stream, seal.sequence);
    try {
      await this.client.create({
        index: sealsIndex(this.indexPrefix),
        id,
        body: {
          stream: seal.stream,
          sequence: seal.sequence,
          offsets: seal.offsets,
          time: seal.time,
          sealed_at: seal.sealed_at,
          entries: seal.records.length,
          kid: signed.kid,
          alg: signed.alg,
          hash: signed.hash,
          previous: seal.previous,
          merkle_root: seal.merkle_root,
          jws: signed.jws,
        },
      });
    } catch (error) {
      if (statusOf(error) === 409) {
        throw new ModtrailError('integrity.seal_conflict', `seal ${id} is already stored: another writer sealed this sequence; refusing to fork the chain`);
      }
      throw unavailable(`storing seal ${id}`, error);
    }
  }

  /** The stored copies of records (by id, in the daily index of their time), hashed as stored. */
  async storedRecords(records: readonly AuditRecord[]): Promise<Map<string, StoredRecordDigest>> {
    const found = new Map<string, StoredRecordDigest>();
    if (records.length === 0) return found;
    let docs: { found?: boolean; _id: string; _source?: AuditRecord }[];
    try {
      const { body } = await this.client.mget({
        body: { docs: records.map((record) => ({ _index: dailyIndex(this.indexPrefix, 'audit', record['@timestamp']), _id: record.event.id })) },
      });
      docs = body.docs as typeof docs;
    } catch (error) {
      throw unavailable('reading replayed records back', error);
    }
    for (const doc of docs) {
      const source = doc._source;
      const origin = source?.modtrail?.origin;
      if (!doc.found || source === undefined || origin === undefined) continue;
      found.set(doc._id, { origin: { topic: origin.topic, partition: origin.partition, offset: String(origin.offset) }, id: source.event.id, hash: recordHash(source), timestamp: source['@timestamp'] });
    }
    return found;
  }

  private async jwsAt(stream: SealStream, sequence: number): Promise<string | undefined> {
    try {
      const { body } = await this.client.get({ index: sealsIndex(this.indexPrefix), id: sealDocumentId(stream, sequence), _source_includes: ['jws'] });
      return (body._source as { jws?: string } | undefined)?.jws;
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw unavailable(`reading seal ${sealDocumentId(stream, sequence)}`, error);
    }
  }
}

export function statusOf(error: unknown): number | undefined {
  return (error as { meta?: { statusCode?: number } }).meta?.statusCode;
}

export function isMissingIndex(error: unknown): boolean {
  const type = (error as { meta?: { body?: { error?: { type?: string } } } }).meta?.body?.error?.type;
  return statusOf(error) === 404 && (type === undefined || type === 'index_not_found_exception');
}

const unavailable = (what: string, error: unknown) =>
  new ModtrailError('store.unavailable', `${what} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
