/** The one retry policy: exponential backoff with full jitter, a cap on elapsed time, cancellation. */
export interface RetryPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  maxElapsedMs: number;
  multiplier: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  initialDelayMs: 100,
  maxDelayMs: 10_000,
  maxElapsedMs: 60_000,
  multiplier: 2,
};

/** What one attempt concluded: done, or try again (no sooner than retryAfterMs, e.g. a 429's Retry-After). */
export type AttemptOutcome<T> = { done: true; value: T } | { done: false; reason: string; retryAfterMs?: number };

export class RetryExhaustedError extends Error {
  constructor(
    readonly attempts: number,
    readonly lastReason: string,
  ) {
    super(`gave up after ${attempts} attempts: ${lastReason}`);
    this.name = 'RetryExhaustedError';
  }
}

/** The wait before attempt n+1: full jitter over the exponential step, never below the server's Retry-After. */
export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterMs = 0, random = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** (attempt - 1));
  return Math.max(retryAfterMs, Math.round(step * random()));
}

/**
 * Runs `attempt` until it reports done, the elapsed budget is spent (RetryExhaustedError), or `signal` aborts.
 * Thrown errors are not retried: an attempt classifies what is worth retrying.
 */
export async function retry<T>(
  attempt: (n: number) => Promise<AttemptOutcome<T>>,
  policy: RetryPolicy = defaultRetryPolicy,
  signal?: AbortSignal,
): Promise<T> {
  const started = Date.now();
  for (let n = 1; ; n++) {
    signal?.throwIfAborted();
    const outcome = await attempt(n);
    if (outcome.done) return outcome.value;
    const delay = backoffDelay(policy, n, outcome.retryAfterMs);
    if (Date.now() - started + delay > policy.maxElapsedMs) throw new RetryExhaustedError(n, outcome.reason);
    await abortableSleep(delay, signal);
  }
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Parses an HTTP Retry-After header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
