import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eventId } from './event-id.js';

const origin = { topic: 'modtrail.proxy', partition: 3, offset: '1042' };

describe('eventId', () => {
  it('is the first 40 hex characters of SHA-256 over topic, partition, offset and raw, NUL-separated', () => {
    const expected = createHash('sha256').update('modtrail.proxy\u00003\u00001042\u0000hello').digest('hex').slice(0, 40);
    expect(eventId(origin, 'hello')).toBe(expected);
    expect(eventId(origin, 'hello')).toMatch(/^[0-9a-f]{40}$/);
  });

  it('is stable for a replay and differs when the place or the text differs', () => {
    expect(eventId({ ...origin }, 'hello')).toBe(eventId(origin, 'hello'));
    expect(eventId({ ...origin, offset: '1043' }, 'hello')).not.toBe(eventId(origin, 'hello'));
    expect(eventId({ ...origin, partition: 4 }, 'hello')).not.toBe(eventId(origin, 'hello'));
    expect(eventId(origin, 'hello!')).not.toBe(eventId(origin, 'hello'));
  });
});
