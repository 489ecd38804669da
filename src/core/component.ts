// The seams between stages. This file imports nothing but the record type, so every stage can depend on it.
import type { AuditRecord, Decision } from './record.js';

/** Formats a normalizer understands; the envelope header `modtrail-format` names one of them. */
export const sourceFormats = [
  'athens',
  'artifactory-request',
  'artifactory-access',
  'nexus-request',
  'agent',
  'sysmon',
  'modtrail-api',
  'modtrail-lifecycle',
] as const;
export type SourceFormat = (typeof sourceFormats)[number];

/** Where a raw event sits in its source, so its offset can be committed once it is settled. */
export interface EventOrigin {
  topic: string;
  partition: number;
  offset: string;
}

/** One message as a source received it, before anything is parsed. */
export interface RawEvent {
  value: Buffer;
  headers: Record<string, string>;
  origin: EventOrigin;
  /** The transport's timestamp: the date for formats whose lines carry only a time of day. */
  receivedAt: Date;
}

/** What a parser needs besides the raw text. */
export interface ParseContext {
  receivedAt: Date;
  ingestedAt: Date;
  origin: EventOrigin;
  /** The observer (proxy or agent) name from the envelope, when the producer set one. */
  observerName?: string;
}

export interface Rejection {
  /** A stable code from the error catalogue, e.g. `parse.malformed`. */
  code: string;
  reason: string;
}

export type ParseResult = { ok: true; record: AuditRecord } | { ok: false; rejection: Rejection };

/** A pure function from one raw line to one record or one rejection; it never throws. */
export interface Parser {
  format: SourceFormat;
  parse(raw: string, context: ParseContext): ParseResult;
}

export interface Lifecycle {
  start(): Promise<void>;
  /** Idempotent; flushes what it holds before it resolves. */
  stop(): Promise<void>;
}

/** Judges records; reads only, never writes. */
export interface Evaluator extends Lifecycle {
  evaluate(records: readonly AuditRecord[]): Promise<Decision[]>;
}

/** How a sink settled one item of a write. */
export type Settlement =
  | { status: 'delivered'; duplicate?: boolean }
  | { status: 'retry'; reason: string; retryAfterMs?: number }
  | { status: 'rejected'; code: string; reason: string };

/** A durable destination for records; returns one settlement per record, in order. */
export interface RecordSink extends Lifecycle {
  name: string;
  write(records: readonly AuditRecord[]): Promise<Settlement[]>;
}

/** A message that could not become a stored record, with the reason. */
export interface DeadLetter {
  event: RawEvent;
  code: string;
  reason: string;
  stage: 'normalize' | 'evaluate' | 'store';
}

export interface DeadLetterSink extends Lifecycle {
  write(letters: readonly DeadLetter[]): Promise<void>;
}

/** What a batch's offsets became once settled: stored records (a replay's flagged duplicate) and dead letters. */
export interface SettledBatch {
  records: readonly { record: AuditRecord; duplicate: boolean }[];
  deadLetters: readonly DeadLetter[];
}

/** Accounts for every settled offset in signed seals; resolves once it holds them (sealing may come later). */
export interface Sealer extends Lifecycle {
  settled(batch: SettledBatch): Promise<void>;
}

/**
 * Handles one batch; resolves only when every event in it is stored or dead-lettered. `turn`, when given, resolves
 * once the batches before this one (of the same partition) are settled, or rejects when one of them failed or was
 * abandoned: the batch is handed to the sealer only after it, so seals see offsets in order.
 */
export type BatchHandler = (events: readonly RawEvent[], turn?: Promise<void>) => Promise<void>;

export interface Source extends Lifecycle {
  name: string;
}

/** A notification about a policy violation, handed to the chat and webhook sinks. */
export interface Alert {
  id: string;
  '@timestamp': string;
  rule: { id: string[]; name: string[]; version: string };
  severity: number;
  fingerprint: string;
  record: AuditRecord;
}

export interface AlertSink extends Lifecycle {
  name: string;
  send(alert: Alert): Promise<Settlement>;
}
