// The record hash: what a seal commits to for each stored record, and what the record carries as event.hash.
import type { AuditRecord } from '../core/record.js';
import { canonicalize } from './canonical-json.js';
import { sha256Hex } from './digest.js';

/**
 * Lower-case hex SHA-256 over the RFC 8785 canonical JSON of the record as stored, decision included (rule,
 * severity, risk score, alert), with only `event.hash` left out, since that is where the result goes.
 * Throws CanonicalJsonError for a record that is not JSON data (NaN, a Date, a lone surrogate…).
 */
export function recordHash(record: AuditRecord): string {
  const { hash: _excluded, ...event } = record.event;
  return sha256Hex(canonicalize({ ...record, event }));
}

/** A copy of the record with `event.hash` set to its record hash; the input is not changed. */
export function withHash(record: AuditRecord): AuditRecord {
  return { ...record, event: { ...record.event, hash: recordHash(record) } };
}
