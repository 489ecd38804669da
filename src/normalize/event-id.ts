import * as crypto from 'node:crypto';
import type { EventOrigin } from '../core/component.js';

// crypto.hash (Node ≥ 20.12) hashes in one call, several times faster than createHash for short input.
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** A deterministic id: the same raw event from the same place always gets the same id, so replays are recognised. */
export function eventId(origin: EventOrigin, raw: string): string {
  return sha256Hex(`${origin.topic}\u0000${origin.partition}\u0000${origin.offset}\u0000${raw}`).slice(0, 40);
}
