// The record hash: what a seal commits to for each stored record, and what the record carries as event.hash.
import type { AuditRecord } from '../core/record.js';
import { CanonicalJsonError, canonicalMember, canonicalize } from './canonical-json.js';
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

/**
 * A copy of the record with `event.hash` set to its record hash; the input is not changed. The canonical members are
 * made once and serve both the hash (joined without the hash member) and the stored form (joined with it).
 */
export function withHash(record: AuditRecord): AuditRecord {
  const event = eventWith(record.event, undefined);
  const hashed = withEvent(record, event);
  let parts: { top: string[]; at: number; event: string[]; hashAt: number };
  try {
    parts = canonicalParts(hashed, event);
  } catch (error) {
    // recordHash walks the whole record, so the error it throws names the full path ($.event.original…).
    if (error instanceof CanonicalJsonError) recordHash(record);
    throw error;
  }
  const { top, at, event: members, hashAt } = parts;
  // The record's text around the event's, and the event's around where `hash` goes; each joined once for both forms.
  const before = `{${top.slice(0, at).map((member) => `${member},`).join('')}"event":{`;
  const after = `}${top.slice(at).map((member) => `,${member}`).join('')}}`;
  const eventBefore = members.slice(0, hashAt).join(',');
  const eventAfter = members.slice(hashAt).join(',');
  const hash = sha256Hex(`${before}${eventBefore}${eventBefore !== '' && eventAfter !== '' ? ',' : ''}${eventAfter}${after}`);
  // The copy is this function's own until it returns: setting the member here is not a change anyone can see.
  (event as { hash?: string }).hash = hash;
  storedForms.set(hashed, `${before}${eventBefore}${eventBefore === '' ? '' : ','}"hash":"${hash}"${eventAfter === '' ? '' : ','}${eventAfter}${after}`);
  return hashed;
}

/**
 * The record's canonical members but `event` (in order; `event` belongs at index `at`), and the event's members
 * but `hash` (in order; `hash` belongs at index `hashAt`). Member names sort by UTF-16 code units (RFC 8785).
 */
function canonicalParts(record: AuditRecord, event: AuditRecord['event']): { top: string[]; at: number; event: string[]; hashAt: number } {
  const top: string[] = [];
  let at = 0;
  for (const name of Object.keys(record).sort()) {
    if (name === 'event') {
      at = top.length;
      continue;
    }
    const member = canonicalMember(name, (record as unknown as Record<string, unknown>)[name]);
    if (member !== undefined) top.push(member);
  }
  const members: string[] = [];
  let hashAt = -1;
  for (const name of Object.keys(event).sort()) {
    if (hashAt === -1 && name > 'hash') hashAt = members.length;
    const member = canonicalMember(name, (event as Record<string, unknown>)[name]);
    if (member !== undefined) members.push(member);
  }
  return { top, at, event: members, hashAt: hashAt === -1 ? members.length : hashAt };
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
