import { lifecycleEventSchemaName, type LifecycleEventV1 } from '../../normalize/modtrail-lifecycle/lifecycle-event.js';

/** What modtrail knew about an index when it decided to delete it past retention. */
export interface IndexDeletion {
  index: string;
  /** OpenSearch's uuid for this incarnation of the index: a later index of the same name is another deletion. */
  uuid: string;
  documents: number;
  day: string;
  retentionDays: number;
  /** Who asked: the OpenSearch user modtrail writes as, or the service itself. */
  actor: string;
  host: string;
  at: Date;
}

/**
 * The lifecycle event of one index deletion (modtrail.lifecycle/v1). It goes to Kafka and comes back through the
 * pipeline as an audit record with an origin, so it is hashed and sealed like every other record before the index goes.
 */
export function retentionEvent(deletion: IndexDeletion): LifecycleEventV1 {
  return {
    schema: lifecycleEventSchemaName,
    time: deletion.at.toISOString(),
    action: 'index.delete',
    index: { name: deletion.index, uuid: deletion.uuid, day: deletion.day, documents: deletion.documents },
    setting: { 'store.retention.days': deletion.retentionDays, 'store.retention.deleteExpired': true },
    actor: deletion.actor,
    host: deletion.host,
  };
}
