import { describe, expect, it } from 'vitest';
import { resolveKitchenTime } from './kitchen-time.js';

describe('resolveKitchenTime', () => {
  it.each([
    ['7:39AM', '2024-01-02T07:40:10Z', '2024-01-02T07:39:00.000Z'],
    ['12:05AM', '2024-01-02T00:06:00Z', '2024-01-02T00:05:00.000Z'],
    ['12:00PM', '2024-01-02T12:00:30Z', '2024-01-02T12:00:00.000Z'],
    ['11:59PM', '2024-01-02T23:59:59Z', '2024-01-02T23:59:00.000Z'],
    // Logged just before midnight, received just after: the day before.
    ['11:59PM', '2024-01-02T00:00:05Z', '2024-01-01T23:59:00.000Z'],
    ['11:59PM', '2024-03-01T00:00:05Z', '2024-02-29T23:59:00.000Z'],
    // A clock a little ahead of the transport's stays on the same day.
    ['8:10AM', '2024-01-02T08:05:00Z', '2024-01-02T08:10:00.000Z'],
    // Exactly 12 h later is not more than 12 h.
    ['8:00PM', '2024-01-02T08:00:00Z', '2024-01-02T20:00:00.000Z'],
    ['8:01PM', '2024-01-02T08:00:00Z', '2024-01-01T20:01:00.000Z'],
  ])('%s received at %s → %s', (text, receivedAt, expected) => {
    expect(resolveKitchenTime(text, new Date(receivedAt))?.toISOString()).toBe(expected);
  });

  it.each(['', '7:39', '07:39 AM', '13:00PM', '0:30AM', '7:60AM', '7:5AM', '7:39am'])('refuses %j', (text) => {
    expect(resolveKitchenTime(text, new Date('2024-01-02T07:40:10Z'))).toBeUndefined();
  });

  it('refuses when the receive time is not a time', () => {
    expect(resolveKitchenTime('7:39AM', new Date(Number.NaN))).toBeUndefined();
  });
});
