// What verification can find, each problem precise enough for an auditor to go and look.
import type { SealStream } from './seal-format.js';
import type { SealFailure } from './seal.js';

export const problemKinds = [
  /** A stored record (or dead letter) whose recomputed hash differs from its seal entry or from its own event.hash. */
  'record_modified',
  /** A seal entry with nothing stored for it. */
  'record_deleted',
  /** A stored record that no seal entry accounts for, in an offset range the chain covers. */
  'record_inserted',
  /** A previous hash that does not match, missing seals, overlapping or competing seals, unsealed old records. */
  'chain_broken',
  /** A seal whose JWS does not verify: bad signature, unknown kid, or malformed. */
  'bad_signature',
  /** Offsets no seal accounts for between two linked seals, or an explicit gap entry in a seal. */
  'offset_gap',
  /** A seal whose time range does not match its records, or that was sealed before its predecessor. */
  'time_mismatch',
] as const;
export type ProblemKind = (typeof problemKinds)[number];

export interface IntegrityProblem {
  kind: ProblemKind;
  /** The partition involved; null when it cannot be known (a record without origin, an unreadable seal). */
  stream: SealStream | null;
  /** The offsets involved, inclusive, as decimal strings. */
  offsets?: { first: string; last: string };
  /** The record involved (its event.id). */
  recordId?: string;
  /** The sequence of the seal involved. For bad_signature it is what the unverified seal claims. */
  sequence?: number;
  /** For bad_signature: which check failed. */
  failure?: SealFailure;
  /** For bad_signature: the key id the seal names. */
  kid?: string;
  /** For bad_signature: the seal's position in the input list. */
  sealIndex?: number;
  /** For offset_gap: true when a seal itself names the gap and its reason (Kafka delivered nothing there). */
  explicitGap?: true;
  /** One sentence for a person. */
  detail: string;
}

export const streamName = (stream: SealStream): string => `${stream.topic}/${stream.partition}`;

export const offsetRange = (first: bigint | string, last: bigint | string = first): { first: string; last: string } => ({
  first: first.toString(),
  last: last.toString(),
});
