import { describe, expect, it } from 'vitest';
import { PageCursors } from './page-cursor.js';

describe('PageCursors', () => {
  const cursors = new PageCursors('a-secret-of-at-least-thirty-two-characters');
  const state = { asOf: 1_764_000_000_000, pit: 'pit-id-1', after: ['2026-11-20T10:00:00.000Z', 'abc'] as (string | number)[], query: 'q1' };

  it('round-trips the time of the first page, the point in time and search_after for the same query', () => {
    expect(cursors.decode(cursors.encode(state), 'q1')).toEqual(state);
    const { pit: _pit, ...firstPage } = state;
    expect(cursors.decode(cursors.encode(firstPage), 'q1')).toEqual(firstPage);
  });

  it('refuses a cursor for another query, a tampered one, one from another key, and garbage', () => {
    const cursor = cursors.encode(state);
    const [body, signature] = cursor.split('.');
    const forgedBody = Buffer.from(JSON.stringify({ t: 1, p: 'someone-elses-pit', a: ['x'], q: 'q1' })).toString('base64url');
    const attempts = [
      () => cursors.decode(cursor, 'q2'),
      () => cursors.decode(`${forgedBody}.${signature}`, 'q1'),
      () => new PageCursors().decode(cursor, 'q1'),
      () => cursors.decode(`${body}`, 'q1'),
      () => cursors.decode('%%%.###', 'q1'),
      () => cursors.decode('x'.repeat(5000), 'q1'),
    ];
    for (const attempt of attempts) expect(attempt).toThrow(expect.objectContaining({ code: 'query.invalid_cursor' }));
  });
});
