import { createHash } from 'node:crypto';
import type { EventOrigin } from '../core/component.js';

/** A deterministic id: the same raw event from the same place always gets the same id, so replays are recognised. */
export function eventId(origin: EventOrigin, raw: string): string {
  return createHash('sha256')
    .update(`${origin.topic}\u0000${origin.partition}\u0000${origin.offset}\u0000${raw}`)
    .digest('hex')
    .slice(0, 40);
}
