import { describe, expect, it } from 'vitest';
import { parseRfc3339 } from './rfc3339.js';

describe('parseRfc3339', () => {
  it.each([
    ['2024-01-02T03:04:05Z', '2024-01-02T03:04:05.000Z'],
    ['2024-01-02T03:04:05.123Z', '2024-01-02T03:04:05.123Z'],
    ['2024-01-02T03:04:05.123456789Z', '2024-01-02T03:04:05.123Z'],
    ['2024-01-02T03:04:05.5+01:00', '2024-01-02T02:04:05.500Z'],
    ['2024-01-02T00:30:00-05:30', '2024-01-02T06:00:00.000Z'],
    ['2024-02-29T23:59:59Z', '2024-02-29T23:59:59.000Z'],
  ])('%s → %s', (text, iso) => {
    expect(parseRfc3339(text)?.toISOString()).toBe(iso);
  });

  it.each(['', '2024-01-02', '2024-01-02T03:04:05', 'Jan 2 2024', '2023-02-29T00:00:00Z', '2024-13-01T00:00:00Z',
    '2024-01-02T24:00:00Z', '2024-01-02T03:04:05.Z', '2024-01-02T03:04:05+1:00', ' 2024-01-02T03:04:05Z'])(
    'refuses %j',
    (text) => {
      expect(parseRfc3339(text)).toBeUndefined();
    },
  );
});

describe('parseRfc3339 in the first century', () => {
  it('keeps years 0000–0099 and their leap days', () => {
    expect(parseRfc3339('0001-02-03T04:05:06Z')?.toISOString()).toBe('0001-02-03T04:05:06.000Z');
    expect(parseRfc3339('0099-12-31T23:59:59.5+01:00')?.toISOString()).toBe('0099-12-31T22:59:59.500Z');
    expect(parseRfc3339('0004-02-29T00:00:00Z')?.toISOString()).toBe('0004-02-29T00:00:00.000Z');
    expect(parseRfc3339('0003-02-29T00:00:00Z')).toBeUndefined();
    expect(parseRfc3339('0000-02-29T00:00:00Z')?.toISOString()).toBe('0000-02-29T00:00:00.000Z');
    expect(parseRfc3339('1900-02-29T00:00:00Z')).toBeUndefined();
  });
});
