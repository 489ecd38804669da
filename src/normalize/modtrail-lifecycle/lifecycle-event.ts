// One step of modtrail's own index lifecycle, as the lifecycle writes it to Kafka (modtrail.lifecycle/v1), so a
// deletion past retention is consumed, stored and sealed like any other evidence.
import { z } from 'zod';

export const lifecycleEventSchemaName = 'modtrail.lifecycle/v1';

const text = z.string().min(1).max(1024);

export const lifecycleEventSchema = z.strictObject({
  schema: z.literal(lifecycleEventSchemaName),
  time: z.string().min(1).max(64),
  /** Only deletions are events: a write block changes no record, and the seals already show any write after it. */
  action: z.literal('index.delete'),
  index: z.strictObject({
    name: text,
    /** OpenSearch's uuid for this incarnation of the index: a later index of the same name is another deletion. */
    uuid: text,
    /** The UTC day whose records the index holds. */
    day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    documents: z.int().min(0),
  }),
  setting: z.strictObject({ 'store.retention.days': z.int().min(1), 'store.retention.deleteExpired': z.boolean() }),
  /** Who deleted: the OpenSearch user modtrail acts as, or its Kafka client id. */
  actor: text,
  host: text,
});

export type LifecycleEventV1 = z.infer<typeof lifecycleEventSchema>;
