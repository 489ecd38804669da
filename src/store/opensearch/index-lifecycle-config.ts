import { z } from 'zod';

/**
 * The built-in index lifecycle: write blocks on daily indices past a grace period, and retention.
 * Without the index-management plugin this is the only thing that closes old days to writes.
 */
export const storeConfigSchema = z
  .strictObject({
    /**
     * Creates new daily audit indices with `index.append_only.enabled` (OpenSearch 2.19+, final once set), so the
     * server refuses updates, deletes and `index` overwrites even from a client with write permission.
     */
    appendOnly: z.boolean().default(false),
    lifecycle: z
      .strictObject({
        /** Off where the ISM policy in deploy/ runs the same steps inside the cluster. */
        enabled: z.boolean().default(true),
        /**
         * Days after a daily index's day ends before it is write-blocked. Records land in the index of their own
         * @timestamp day, so this must cover a replay of everything Kafka still retains (7 days by default).
         */
        writeBlockAfterDays: z.number().int().min(1).default(7),
        intervalMinutes: z.number().int().min(1).max(1440).default(60),
      })
      .prefault({}),
    retention: z
      .strictObject({
        /** Days after a daily index's day ends before it is past retention. */
        days: z.number().int().min(1).default(365),
        /** Off: indices past retention are only write-blocked and reported. On: each deletion is recorded first. */
        deleteExpired: z.boolean().default(false),
        /**
         * How long a deletion waits for its own record to come back from Kafka and be stored; past it the index is
         * kept and the deletion tried again at the next sweep.
         */
        recordTimeoutSeconds: z.number().int().min(1).max(3600).default(300),
      })
      .prefault({}),
  })
  .refine((store) => store.retention.days > store.lifecycle.writeBlockAfterDays, {
    error: 'store.retention.days must be greater than store.lifecycle.writeBlockAfterDays, so nothing is deleted while it can still take a replay',
    path: ['retention', 'days'],
  })
  .prefault({});

export type StoreConfig = z.infer<typeof storeConfigSchema>;
