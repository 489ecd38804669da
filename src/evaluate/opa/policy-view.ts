// What the policy is shown of a record. The SDK JSON-encodes the input into WASM memory and the policy parses it
// again, so every byte costs twice per record; fields no rule should judge are left out:
//   event.id, event.ingested, event.original  where and when modtrail received it, and the raw text itself
//   ecs, modtrail.origin                       the schema version and the Kafka offset
//   url.original, user_agent, trace, message   free text and correlation ids, not facts a rule decides on
// Everything else is passed as it is (a field added to records later reaches the policy without a change here):
// @timestamp, the rest of event, package, user, host, source, url.path, http, goenv, registry, process, observer,
// agent, log and the rest of modtrail.
import type { AuditRecord } from '../../core/record.js';

type View = Record<string, unknown>;

/** A copy of `object` without `dropped`'s keys, or the value itself when it is not an object. */
function without(value: unknown, dropped: (key: string) => boolean): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const copy: View = {};
  for (const key in value) {
    if (Object.hasOwn(value, key) && !dropped(key)) copy[key] = (value as View)[key];
  }
  return copy;
}

const droppedFromEvent = (key: string): boolean => key === 'id' || key === 'ingested' || key === 'original';
const droppedFromUrl = (key: string): boolean => key === 'original';
const droppedFromModtrail = (key: string): boolean => key === 'origin';

/** The record as the policy sees it: the same fields, less those listed above. The record is not changed. */
export function policyView(record: AuditRecord): View {
  const view: View = {};
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const value = (record as unknown as View)[key];
    switch (key) {
      case 'ecs':
      case 'user_agent':
      case 'trace':
      case 'message':
        break;
      case 'event':
        view[key] = without(value, droppedFromEvent);
        break;
      case 'url':
        view[key] = without(value, droppedFromUrl);
        break;
      case 'modtrail':
        view[key] = without(value, droppedFromModtrail);
        break;
      default:
        view[key] = value;
    }
  }
  return view;
}
