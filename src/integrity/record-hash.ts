// The record hash: what a seal commits to for each stored record, and what the record carries as event.hash.
import type { AuditRecord } from '../core/record.js';
import { CanonicalBytesWriter, namesInOrder, refused, withCanonicalWriter } from './canonical-bytes.js';
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

/** The bytes each hashed record is stored as (its canonical form, hash included), so it is serialized only once; hashed records are not changed after. */
const storedForms = new WeakMap<AuditRecord, Buffer>();

/** The stored JSON of a record made by withHash, while that record lives; undefined for any other record. */
export const storedJson = (record: object): string | undefined => storedForms.get(record as AuditRecord)?.toString('utf8');

/** The stored form's UTF-8 bytes, handed over once: dropped here, so a batch does not hold them while it waits (a retry serializes anew). */
export function takeStoredBytes(record: object): Buffer | undefined {
  const bytes = storedForms.get(record as AuditRecord);
  if (bytes !== undefined) storedForms.delete(record as AuditRecord);
  return bytes;
}

/**
 * A copy of the record with `event.hash` set to its record hash; the input is not changed. The canonical form is
 * written once: hashed as it is, then stored with the hash member put in where it sorts.
 */
export function withHash(record: AuditRecord): AuditRecord {
  const event = eventWith(record.event, undefined);
  const hashed = withEvent(record, event);
  let written: { hash: string; stored: Buffer };
  try {
    written = withCanonicalWriter((writer) => writeHashed(writer, hashed, event));
  } catch (error) {
    if (error !== refused) throw error;
    // The exact path: it throws the error naming the full path ($.event.original…), or serializes what is only unusual.
    const hash = recordHash(record);
    (event as { hash?: string }).hash = hash;
    storedForms.set(hashed, Buffer.from(canonicalize(hashed), 'utf8'));
    return hashed;
  }
  // The copy is this function's own until it returns: setting the member here is not a change anyone can see.
  (event as { hash?: string }).hash = written.hash;
  storedForms.set(hashed, written.stored);
  return hashed;
}

/** The record's canonical bytes without `event.hash`, their hash, and the stored bytes with `"hash":"…"` where it sorts. */
function writeHashed(writer: CanonicalBytesWriter, record: AuditRecord, event: AuditRecord['event']): { hash: string; stored: Buffer } {
  let slot = -1;
  let slotFirst = true;
  let afterSlot = false;
  writer.ascii('{');
  let first = true;
  for (const name of namesInOrder(record as unknown as Record<string, unknown>)) {
    if (name !== 'event') {
      if (writer.member(name, (record as unknown as Record<string, unknown>)[name], first)) first = false;
      continue;
    }
    if (!first) writer.ascii(',');
    first = false;
    writer.ascii('"event":{');
    let eventFirst = true;
    for (const eventName of namesInOrder(event as Record<string, unknown>)) {
      if (slot === -1 && eventName > 'hash') {
        slot = writer.length;
        slotFirst = eventFirst;
      }
      const wrote = writer.member(eventName, (event as Record<string, unknown>)[eventName], eventFirst);
      if (wrote && slot !== -1) afterSlot = true;
      if (wrote) eventFirst = false;
    }
    if (slot === -1) {
      slot = writer.length;
      slotFirst = eventFirst;
    }
    writer.ascii('}');
  }
  writer.ascii('}');
  // A record without an event member has no place for the hash: the exact path decides what it is.
  if (slot === -1) throw refused;
  const bytes = writer.bytes;
  const hash = sha256Hex(bytes);
  // Members after the slot already start with a comma unless none came before it.
  const member = `${slotFirst ? '' : ','}"hash":"${hash}"${slotFirst && afterSlot ? ',' : ''}`;
  const stored = Buffer.allocUnsafe(bytes.length + member.length);
  bytes.copy(stored, 0, 0, slot);
  stored.write(member, slot, 'latin1');
  bytes.copy(stored, slot + member.length, slot);
  return { hash, stored };
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
