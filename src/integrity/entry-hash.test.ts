import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deadLetterHash, gapHash, type DeadLetterEvidence } from './entry-hash.js';

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

const letter: DeadLetterEvidence = {
  origin: { topic: 'modtrail.proxy', partition: 0, offset: '105' },
  original: Buffer.from([0xff, 0x00, 0x41]),
  code: 'parse.encoding',
  reason: 'not UTF-8',
};

describe('deadLetterHash', () => {
  it('is SHA-256 over the canonical JSON of origin, code, reason and the SHA-256 of the raw bytes', () => {
    const canonical =
      `{"code":"parse.encoding","kind":"dead_letter","origin":{"offset":"105","partition":0,"topic":"modtrail.proxy"},` +
      `"original_sha256":"${sha256(Buffer.from([0xff, 0x00, 0x41]))}","reason":"not UTF-8"}`;
    expect(deadLetterHash(letter)).toBe(sha256(canonical));
  });

  it.each<[string, DeadLetterEvidence]>([
    ['the bytes', { ...letter, original: Buffer.from([0xff, 0x00, 0x42]) }],
    ['the code', { ...letter, code: 'parse.malformed' }],
    ['the reason', { ...letter, reason: 'fine' }],
    ['the offset', { ...letter, origin: { ...letter.origin, offset: '106' } }],
    ['the partition', { ...letter, origin: { ...letter.origin, partition: 1 } }],
  ])('changes with %s', (_what, changed) => {
    expect(deadLetterHash(changed)).not.toBe(deadLetterHash(letter));
  });
});

describe('gapHash', () => {
  it('binds the position and the reason', () => {
    const origin = { topic: 'modtrail.proxy', partition: 0, offset: '7' };
    expect(gapHash(origin, 'compacted')).toBe(sha256('{"kind":"gap","origin":{"offset":"7","partition":0,"topic":"modtrail.proxy"},"reason":"compacted"}'));
    expect(gapHash({ ...origin, offset: '8' }, 'compacted')).not.toBe(gapHash(origin, 'compacted'));
    expect(gapHash(origin, 'transaction marker')).not.toBe(gapHash(origin, 'compacted'));
  });
});
