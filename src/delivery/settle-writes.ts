import type { Settlement } from '../core/component.js';
import { ModtrailError } from '../core/errors.js';
import { retry, RetryExhaustedError, type RetryPolicy } from './retry.js';

export interface SettledWrites<T> {
  delivered: { item: T; duplicate: boolean }[];
  rejected: { item: T; code: string; reason: string }[];
}

/**
 * Writes items through a sink that settles each one, re-sending only the items whose settlement was `retry`.
 * When the retry budget runs out the batch fails as a whole (store.unavailable), so its offsets stay uncommitted.
 */
export async function settleWrites<T>(
  items: readonly T[],
  write: (pending: readonly T[]) => Promise<Settlement[]>,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<SettledWrites<T>> {
  const result: SettledWrites<T> = { delivered: [], rejected: [] };
  let pending = [...items];
  try {
    await retry(async () => {
      const settlements = await write(pending);
      const again: T[] = [];
      let reason = '';
      let retryAfterMs: number | undefined;
      pending.forEach((item, i) => {
        const settlement: Settlement = settlements[i] ?? { status: 'retry', reason: 'sink returned no settlement' };
        if (settlement.status === 'delivered') result.delivered.push({ item, duplicate: settlement.duplicate === true });
        else if (settlement.status === 'rejected') result.rejected.push({ item, code: settlement.code, reason: settlement.reason });
        else {
          again.push(item);
          reason = settlement.reason;
          retryAfterMs = Math.max(retryAfterMs ?? 0, settlement.retryAfterMs ?? 0);
        }
      });
      pending = again;
      return pending.length === 0
        ? { done: true, value: undefined }
        : { done: false, reason: `${pending.length} item(s) to retry; last: ${reason}`, ...(retryAfterMs ? { retryAfterMs } : {}) };
    }, policy, signal);
  } catch (error) {
    if (error instanceof RetryExhaustedError) {
      throw new ModtrailError('store.unavailable', `write not settled: ${error.message}`, { cause: error });
    }
    throw error;
  }
  return result;
}
