// modtrail's own index lifecycle (modtrail.lifecycle/v1) → audit records: which index retention deleted, and why.
import type { ParseContext, Parser } from '../../core/component.js';
import { modtrailEventParser } from '../modtrail-event.js';
import { observerOf, type RecordFields } from '../record-base.js';
import { lifecycleEventSchema, type LifecycleEventV1 } from './lifecycle-event.js';

export const modtrailLifecycleParser: Parser = modtrailEventParser('modtrail-lifecycle', 'modtrail.lifecycle/v1', lifecycleEventSchema, fields);

function fields(event: LifecycleEventV1, context: ParseContext): RecordFields {
  const { index, setting } = event;
  return {
    event: {
      kind: 'event',
      category: ['configuration'],
      type: ['deletion'],
      action: event.action,
      // Written before the deletion: whether it then succeeded is seen from the index being gone.
      outcome: 'unknown',
      dataset: 'modtrail.retention',
      module: 'modtrail',
    },
    observer: observerOf({ vendor: 'modtrail', product: 'modtrail', type: 'lifecycle', hostname: event.host }, context),
    user: { name: event.actor },
    host: { name: event.host },
    message:
      `index ${index.name} (uuid ${index.uuid}, records of ${index.day}, ${index.documents} documents) deleted past retention ` +
      `of ${setting['store.retention.days']} days, by store.retention.deleteExpired`,
  };
}
