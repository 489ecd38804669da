// OCSF 1.3.0 Device Config State Change (class 5019, category 5 Discovery): a Go setting changed, unset or
// snapshotted on a developer machine (agent, Sysmon), and other registry values Sysmon saw written.
import type { AuditRecord } from '../../core/record.js';
import {
  actorOf,
  actorPaths,
  baseMappedPaths,
  classification,
  compact,
  deviceOf,
  devicePaths,
  durationIsWholeMs,
  recordBase,
  unmappedOf,
  type OcsfActor,
  type OcsfBase,
  type OcsfDevice,
  type OcsfOptions,
} from './base.js';

export const deviceConfigStateChangeClass = { uid: 5019, name: 'Device Config State Change' } as const;
const discovery = { uid: 5, name: 'Discovery' } as const;

export interface OcsfDeviceConfigStateChange extends OcsfBase {
  class_uid: 5019;
  category_uid: 5;
  device: OcsfDevice;
  actor?: OcsfActor;
  security_level_id?: number;
  security_level?: string;
  security_states?: { state_id: number; state: string }[];
}

/** 1 Log: the change was reported as it happened; 2 Collect: a snapshot the agent gathered. */
const activityOf = (record: AuditRecord): { id: number; name: string } =>
  record.event.action === 'goenv.snapshot' ? { id: 2, name: 'Collect' } : { id: 1, name: 'Log' };

/**
 * How the policy left the machine, when it was judged: a matched rule is 2 At Risk with a 2 Policy mismatch
 * state, nothing matched is 1 Secure. Not judged (no rule.id): left out, OCSF's "not known".
 */
function securityOf(record: AuditRecord): Pick<OcsfDeviceConfigStateChange, 'security_level_id' | 'security_level' | 'security_states'> {
  if (!record.rule) return {};
  if (record.rule.id.length === 0) return { security_level_id: 1, security_level: 'Secure' };
  return { security_level_id: 2, security_level: 'At Risk', security_states: [{ state_id: 2, state: 'Policy mismatch' }] };
}

export function toDeviceConfigStateChange(record: AuditRecord, options: OcsfOptions = {}): OcsfDeviceConfigStateChange {
  // device is required: a record without host or agent (none today) still names the machine as unknown.
  const device = deviceOf(record) ?? { type_id: 0, type: 'Unknown' };
  const actor = actorOf(record);
  const mapped = new Set<string>([...baseMappedPaths, ...actorPaths, ...devicePaths(record), ...(durationIsWholeMs(record) ? ['event.duration'] : [])]);
  return compact({
    ...classification(discovery, deviceConfigStateChangeClass, activityOf(record)),
    ...recordBase(record, options),
    class_uid: deviceConfigStateChangeClass.uid,
    category_uid: discovery.uid,
    device,
    actor: Object.keys(actor).length === 0 ? undefined : actor,
    ...securityOf(record),
    // OCSF 1.3.0 has no object for an environment setting: goenv.* (name, value, previous value, scope,
    // mechanism, snapshot settings) and registry.* stay under unmapped by their ECS names.
    unmapped: unmappedOf(record, mapped),
  });
}
