// What an export reads from the store, as small interfaces: the OpenSearch implementation is one, a test's fake another.
import type { AuditRecord } from '../core/record.js';
import type { TimeRange } from '../store/audit-store.js';
import type { SealStream } from '../integrity/seal-format.js';
import type { DeadLetterLine } from './bundle-layout.js';
import type { ExportFilters } from './filters.js';

/** One stored seal: its JWS and the facts needed to select it without verifying it (the verifier does that). */
export interface StoredSeal {
  jws: string;
  stream: SealStream;
  sequence: number;
  offsets: { first: string; last: string };
  /** The seal's record time range; null when it seals no record. */
  time: { from: string; to: string } | null;
}

export interface SealReader {
  /**
   * The seals whose record time range meets [from, to), and per stream every seal between the first and last of
   * those (so each stream's run in the bundle is an unbroken chain), ordered by stream and sequence, in pages
   * (a seal's JWS holds every entry, so all of them at once could be large).
   */
  sealsCovering(range: TimeRange): AsyncIterable<StoredSeal[]>;
}

/** A stored record as an export copies it: its JSON (UTF-8) exactly as the store holds it, and the Kafka origin it names. */
export interface StoredRecordJson {
  json: Buffer;
  origin: { topic: string; partition: number; offset: string } | undefined;
}

export interface ExportRecordReader {
  /** The records of the range that pass the filters, in pages, from one consistent point in time, in storage order. */
  scan(range: TimeRange, filters: ExportFilters, pageSize: number): AsyncIterable<StoredRecordJson[]>;
  /** How many records scan would yield now (for a progress bar; records may arrive before the scan starts). */
  count(range: TimeRange, filters: ExportFilters): Promise<number>;
  /** Records of one stream's offset range whose @timestamp is outside [from, to): a boundary seal's other records. */
  sealedOutside(stream: SealStream, offsets: { first: string; last: string }, range: TimeRange, pageSize: number): AsyncIterable<AuditRecord[]>;
}

export interface DeadLetterReader {
  /** Dead letters of one stream's offset range. */
  inOffsets(stream: SealStream, offsets: { first: string; last: string }, pageSize: number): AsyncIterable<DeadLetterLine[]>;
  /** Dead letters dead-lettered within [from, to). */
  inTime(range: TimeRange, pageSize: number): AsyncIterable<DeadLetterLine[]>;
}

export interface ExportSource {
  records: ExportRecordReader;
  seals: SealReader;
  deadLetters: DeadLetterReader;
}
