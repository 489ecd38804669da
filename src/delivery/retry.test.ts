import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter, retry, RetryExhaustedError, type RetryPolicy } from './retry.js';

const fast: RetryPolicy = { initialDelayMs: 1, maxDelayMs: 5, maxElapsedMs: 200, multiplier: 2 };

describe('retry', () => {
  it('retries until an attempt is done and returns its value', async () => {
    const seen: number[] = [];
    const value = await retry(async (n) => {
      seen.push(n);
      return n < 3 ? { done: false, reason: 'not yet' } : { done: true, value: 'ok' };
    }, fast);
    expect(value).toBe('ok');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('gives up with the last reason once the elapsed budget is spent', async () => {
    const error = await retry(async () => ({ done: false, reason: 'still 503' }), { ...fast, maxElapsedMs: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect((error as RetryExhaustedError).lastReason).toBe('still 503');
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const pending = retry(async () => ({ done: false, reason: 'busy' }), { ...fast, initialDelayMs: 50, maxDelayMs: 50, maxElapsedMs: 10_000 }, controller.signal);
    controller.abort(new Error('shutting down'));
    await expect(pending).rejects.toThrow('shutting down');
  });

  it('never waits less than Retry-After and caps the exponential step', () => {
    const policy: RetryPolicy = { initialDelayMs: 100, maxDelayMs: 1000, maxElapsedMs: 60_000, multiplier: 2 };
    expect(backoffDelay(policy, 1, 0, () => 1)).toBe(100);
    expect(backoffDelay(policy, 3, 0, () => 1)).toBe(400);
    expect(backoffDelay(policy, 10, 0, () => 1)).toBe(1000);
    expect(backoffDelay(policy, 1, 5000, () => 1)).toBe(5000);
    expect(backoffDelay(policy, 3, 0, () => 0.5)).toBe(200);
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter(new Date(61_000).toUTCString(), 1_000)).toBe(60_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
