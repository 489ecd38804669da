// The record hash: what a seal commits to for each stored record, and what the record carries as event.hash.
import { randomBytes } from 'node:crypto';
import type { AuditRecord } from '../core/record.js';
import { canonicalize } from './canonical-json.js';
import { sha256Hex } from './digest.js';

/**
 * Lower-case hex SHA-256 over the RFC 8785 canonical JSON of the record as stored, decision included (rule,
 * severity, risk score, alert), with only `event.hash` left out, since that is where the result goes.
 * Throws CanonicalJsonError for a record that is not JSON data (NaN, a Date, a lone surrogate…).
 */
export function recordHash(record: AuditRecord): string {
  return sha256Hex(canonicalize(withEvent(record, eventWith(record.event, undefined))));
}

/** The JSON each hashed record is stored as (its canonical form, hash included), so it is serialized only once; hashed records are not changed after. */
const storedForms = new WeakMap<AuditRecord, string>();

/** The stored JSON of a record made by withHash, while that record lives; undefined for any other record. */
export const storedJson = (record: object): string | undefined => storedForms.get(record as AuditRecord);

/** storedJson, handed over once: the string is dropped here, so a batch does not hold it while it waits (a retry serializes anew). */
export function takeStoredJson(record: object): string | undefined {
  const json = storedForms.get(record as AuditRecord);
  if (json !== undefined) storedForms.delete(record as AuditRecord);
  return json;
}

/** Stands in for event.hash while the record is canonicalized; random per process, so no record can hold it by design. */
const placeholder = JSON.stringify(`modtrail-hash-${randomBytes(24).toString('hex')}`);

/**
 * A copy of the record with `event.hash` set to its record hash; the input is not changed. One canonical pass
 * serves both the hash (the text without the hash member) and the stored form (the text with it).
 */
export function withHash(record: AuditRecord): AuditRecord {
  const marked = canonicalize(withEvent(record, eventWith(record.event, JSON.parse(placeholder) as string)));
  const at = marked.indexOf(placeholder);
  if (at === -1 || marked.indexOf(placeholder, at + 1) !== -1) {
    // The placeholder also occurs in the data (or not at all): hash the plain way.
    const hash = recordHash(record);
    return withEvent(record, eventWith(record.event, hash));
  }
  // Members are joined by commas: drop `"hash":<placeholder>` with the comma before it, or else the one after.
  const member = at - '"hash":'.length;
  const end = at + placeholder.length;
  const unmarked = marked[member - 1] === ',' ? marked.slice(0, member - 1) + marked.slice(end) : marked.slice(0, member) + marked.slice(marked[end] === ',' ? end + 1 : end);
  const hash = sha256Hex(unmarked);
  const hashed = withEvent(record, eventWith(record.event, hash));
  storedForms.set(hashed, `${marked.slice(0, at)}"${hash}"${marked.slice(end)}`);
  return hashed;
}

/** A copy of the event with `hash` set, or left out when undefined (a loop: quicker than spread and rest on Node 20). */
function eventWith(event: AuditRecord['event'], hash: string | undefined): AuditRecord['event'] {
  const copy: Record<string, unknown> = {};
  for (const key in event) if (key !== 'hash') copy[key] = (event as Record<string, unknown>)[key];
  if (hash !== undefined) copy.hash = hash;
  return copy as AuditRecord['event'];
}

function withEvent(record: AuditRecord, event: AuditRecord['event']): AuditRecord {
  const copy: Record<string, unknown> = {};
  for (const key in record) copy[key] = key === 'event' ? event : (record as unknown as Record<string, unknown>)[key];
  return copy as unknown as AuditRecord;
}
