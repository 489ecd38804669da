// The audit record as a runtime schema, field for field with the AuditRecord type; strict, so a stray field is an error.
import { isIP } from 'node:net';
import { z } from 'zod';
import type { AuditRecord } from './record.js';

/** ECS `event.category` allowed values (ECS 8.17). */
export const ecsEventCategories = [
  'api', 'authentication', 'configuration', 'database', 'driver', 'email', 'file', 'host', 'iam',
  'intrusion_detection', 'library', 'malware', 'network', 'package', 'process', 'registry', 'session', 'threat',
  'vulnerability', 'web',
] as const;

/** ECS `event.type` allowed values (ECS 8.17). */
export const ecsEventTypes = [
  'access', 'admin', 'allowed', 'change', 'connection', 'creation', 'deletion', 'denied', 'device', 'end', 'error',
  'group', 'indicator', 'info', 'installation', 'protocol', 'start', 'user',
] as const;

/** ECS `host.os.type` expected values. */
export const ecsOsTypes = ['linux', 'macos', 'unix', 'windows', 'ios', 'android'] as const;

const text = z.string({ error: 'must be a string' });
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });
/** A vocabulary the type leaves open (`string`) but ECS closes: checked at run time, typed as a string. */
const ecsValue = (values: readonly string[]) =>
  text.refine((value) => values.includes(value), { error: `must be one of ${values.join(', ')}` });

const nonEmpty = text.min(1, { error: 'must not be empty' });
const utcTimestamp = z.iso.datetime({ error: 'must be an ISO-8601 UTC timestamp, e.g. 2024-06-01T09:30:00.000Z' });
const dottedName = text.regex(/^[a-z]+\.[a-z_]+$/, { error: 'must be lower-case "area.name", e.g. module.zip' });
const settingName = text.regex(/^[A-Z][A-Z0-9_]*$/, { error: 'must be an environment variable name, e.g. GOPROXY' });
const count = z.int({ error: 'must be an integer' }).nonnegative({ error: 'must not be negative' });
/** OpenSearch `ip` fields take neither a zone index nor anything but a plain IPv4 or IPv6 address. */
const ipAddress = text.refine((value) => isIP(value) !== 0 && !value.includes('%'), {
  error: 'must be an IPv4 or IPv6 address without a zone',
});

const recordFields = {
  '@timestamp': utcTimestamp,
  ecs: z.strictObject({ version: nonEmpty }),
  event: z.strictObject({
    id: text.regex(/^[0-9a-f]{40}$/, { error: 'must be 40 lower-case hex digits' }),
    kind: oneOf(['event', 'alert']),
    category: z.array(ecsValue(ecsEventCategories)).min(1, { error: 'must name at least one category' }),
    type: z.array(ecsValue(ecsEventTypes)).min(1, { error: 'must name at least one type' }),
    action: dottedName,
    outcome: oneOf(['success', 'failure', 'unknown']),
    dataset: dottedName,
    module: nonEmpty.optional(),
    ingested: utcTimestamp,
    original: text,
    duration: count.optional(),
    severity: z.int({ error: 'must be an integer' }).min(1, { error: 'must be 1 to 5' }).max(5, { error: 'must be 1 to 5' }).optional(),
    risk_score: z.number({ error: 'must be a number' }).min(0, { error: 'must be 0 to 100' }).max(100, { error: 'must be 0 to 100' }).optional(),
    hash: nonEmpty.optional(),
  }),
  observer: z.strictObject({
    vendor: nonEmpty.optional(),
    product: nonEmpty,
    type: nonEmpty,
    name: nonEmpty.optional(),
    hostname: nonEmpty.optional(),
  }),
  user: z.strictObject({ name: nonEmpty, domain: nonEmpty.optional(), id: nonEmpty.optional() }).optional(),
  source: z.strictObject({ ip: ipAddress.optional(), address: nonEmpty.optional() }).optional(),
  host: z
    .strictObject({
      name: nonEmpty,
      ip: z.array(ipAddress).optional(),
      os: z.strictObject({ type: ecsValue(ecsOsTypes).optional() }).optional(),
    })
    .optional(),
  agent: z
    .strictObject({ id: nonEmpty.optional(), name: nonEmpty.optional(), type: nonEmpty.optional(), version: nonEmpty.optional() })
    .optional(),
  http: z
    .strictObject({
      request: z.strictObject({ method: nonEmpty.optional(), bytes: count.optional() }).optional(),
      response: z
        .strictObject({
          status_code: z.int({ error: 'must be an integer' }).min(100, { error: 'must be 100 to 599' }).max(599, { error: 'must be 100 to 599' }).optional(),
          body: z.strictObject({ bytes: count.optional() }).optional(),
        })
        .optional(),
    })
    .optional(),
  url: z.strictObject({ path: nonEmpty, original: nonEmpty.optional() }).optional(),
  user_agent: z.strictObject({ original: nonEmpty }).optional(),
  trace: z.strictObject({ id: nonEmpty }).optional(),
  package: z.strictObject({ name: nonEmpty, version: nonEmpty.optional(), type: z.literal('golang', { error: 'must be golang' }) }).optional(),
  process: z.strictObject({ executable: nonEmpty, pid: count.optional(), name: nonEmpty.optional() }).optional(),
  registry: z
    .strictObject({
      hive: nonEmpty.optional(),
      key: nonEmpty.optional(),
      path: nonEmpty,
      value: nonEmpty.optional(),
      data: z.strictObject({ strings: z.array(text).optional(), type: nonEmpty.optional() }).optional(),
    })
    .optional(),
  log: z.strictObject({ level: nonEmpty.optional(), logger: nonEmpty.optional() }).optional(),
  message: text.optional(),
  rule: z
    .strictObject({ id: z.array(nonEmpty), name: z.array(nonEmpty), ruleset: nonEmpty, version: nonEmpty })
    .optional(),
  goenv: z
    .strictObject({
      name: settingName.optional(),
      value: text.optional(),
      previous_value: text.optional(),
      scope: nonEmpty.optional(),
      mechanism: nonEmpty.optional(),
      managed_by: nonEmpty.optional(),
      settings: z.record(settingName, text).optional(),
      sources: z.record(settingName, nonEmpty).optional(),
    })
    .refine((goenv) => goenv.name !== undefined || goenv.settings !== undefined, { error: 'needs a setting name or a snapshot of settings' })
    .optional(),
  modtrail: z
    .strictObject({
      repository: nonEmpty.optional(),
      sumdb: nonEmpty.optional(),
      source_action: nonEmpty.optional(),
      path_error: nonEmpty.optional(),
      alert: z.boolean({ error: 'must be true or false' }).optional(),
      origin: z
        .strictObject({
          topic: nonEmpty,
          partition: count,
          offset: text.regex(/^(?:0|[1-9][0-9]*)$/, { error: 'must be a decimal offset' }),
        })
        .optional(),
      evaluation_error: nonEmpty.optional(),
      agent_event_id: nonEmpty.optional(),
    })
    .optional(),
};

export const auditRecordSchema = z.strictObject(recordFields, { error: 'must be an object' });

// The schema and the type cannot drift: each must be exactly the other, optional fields included.
type Identical<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assignable<A, B> = [A] extends [B] ? true : false;
const schemaIsTheType: Identical<z.infer<typeof auditRecordSchema>, AuditRecord> = true;
const typeFitsTheSchema: Assignable<AuditRecord, z.infer<typeof auditRecordSchema>> = true;
const schemaFitsTheType: Assignable<z.infer<typeof auditRecordSchema>, AuditRecord> = true;
void [schemaIsTheType, typeFitsTheSchema, schemaFitsTheType];

/** Every way a value fails to be an audit record, one line each with its key path; empty when it is one. */
export function auditRecordProblems(value: unknown): string[] {
  const result = auditRecordSchema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${keyPath([...issue.path, key])}: unknown field`);
    const missing = issue.path.length > 0 && valueAt(value, issue.path) === undefined;
    return [`${keyPath(issue.path) || '(record)'}: ${missing ? 'is required' : issue.message}`];
  });
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let node = value;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** `host.ip[1]`, `event.category[0]`: the way a person points at a field. */
function keyPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i > 0 ? '.' : ''}${String(key)}`)).join('');
}
