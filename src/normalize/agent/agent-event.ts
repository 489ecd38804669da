// modtrail's own agent event, version 1: what an agent on a developer machine reports about its Go settings,
// one JSON object per message. `schema` names the version, so a later version can be read beside this one.
import { isIP } from 'node:net';
import { z } from 'zod';
import { goSettingNames, type GoSettingName } from '../../core/go-settings.js';
import { parseRfc3339 } from '../rfc3339.js';

export const agentSchemaV1 = 'modtrail.agent/v1';
/** Every version of the agent schema starts with this; the part after it is the version. */
export const agentSchemaPrefix = 'modtrail.agent/';

export const agentOsTypes = ['windows', 'linux', 'darwin'] as const;
/** Where a setting lives: the machine environment, the user environment, or the go env file (`go env -w`). */
export const settingScopes = ['machine', 'user', 'goenv_file'] as const;
/** How a setting got its value. */
export const settingMechanisms = ['gpo', 'powershell', 'sccm', 'ansible', 'go_env_w', 'manual', 'unknown'] as const;
/** The mechanisms that can manage a fleet's Go settings; a change by any other mechanism is an unmanaged one. */
export const managingMechanisms = ['gpo', 'powershell', 'sccm', 'ansible'] as const;
export const agentEventKinds = ['goenv.change', 'goenv.snapshot'] as const;

const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });
const text = z.string({ error: 'must be a string' });
const nonEmpty = text.min(1, { error: 'must not be empty' });
const ipAddress = text.refine((value) => isIP(value) !== 0 && !value.includes('%'), {
  error: 'must be an IPv4 or IPv6 address without a zone',
});
const rfc3339 = text.refine((value) => parseRfc3339(value) !== undefined, {
  error: 'must be an RFC 3339 time with an offset, e.g. 2024-06-01T09:30:00+02:00',
});
const settingName = oneOf(goSettingNames);
/** A value that must be present, as a string or as null. */
const nullableValue = (whenMissing: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? whenMissing : 'must be a string or null') }).nullable();

/** One optional entry per Go setting name, and no other key. */
function perSetting<T extends z.ZodType>(value: T, error: string) {
  const shape = Object.fromEntries(goSettingNames.map((name) => [name, value.optional()])) as {
    [Name in GoSettingName]: z.ZodOptional<T>;
  };
  return z.strictObject(shape, { error });
}

const commonFields = {
  schema: z.literal(agentSchemaV1, { error: `must be "${agentSchemaV1}"` }),
  event_id: z.uuid({ error: 'must be a UUID' }).optional(),
  time: rfc3339,
  host: z.strictObject(
    { name: nonEmpty, os: oneOf(agentOsTypes), ip: z.array(ipAddress, { error: 'must be an array of IP addresses' }).optional() },
    { error: 'must be an object with name and os' },
  ),
  user: z.strictObject({ name: nonEmpty, domain: nonEmpty.optional() }, { error: 'must be an object with name' }),
  scope: oneOf(settingScopes),
  mechanism: oneOf(settingMechanisms),
  managed_by: oneOf(managingMechanisms).optional(),
  agent: z.strictObject({ name: nonEmpty, version: nonEmpty, id: nonEmpty.optional() }, { error: 'must be an object with name and version' }),
  process: z
    .strictObject(
      { executable: nonEmpty, pid: z.int({ error: 'must be an integer' }).nonnegative({ error: 'must not be negative' }).optional() },
      { error: 'must be an object with executable' },
    )
    .optional(),
};

/** One Go setting changed; null stands for "not set" on either side. */
export const goenvChangeV1 = z.strictObject({
  ...commonFields,
  kind: z.literal('goenv.change'),
  name: settingName,
  value: nullableValue('is required (a string, or null when unset)'),
  previous_value: nullableValue('is required (a string, or null when it was unset)'),
});

/** Every Go setting at one moment: a name absent from `settings` is not set; `source` says where each set one lives. */
export const goenvSnapshotV1 = z
  .strictObject({
    ...commonFields,
    kind: z.literal('goenv.snapshot'),
    settings: perSetting(text, 'must be an object of Go settings, e.g. {"GOPROXY": "direct"}'),
    source: perSetting(oneOf(settingScopes), 'must be an object naming each setting\'s scope, e.g. {"GOPROXY": "machine"}'),
  })
  .superRefine((snapshot, context) => {
    for (const name of goSettingNames) {
      const held = snapshot.settings[name] !== undefined;
      const sourced = snapshot.source[name] !== undefined;
      if (held && !sourced) context.addIssue({ code: 'custom', path: ['source', name], message: 'is required for a setting the snapshot holds' });
      if (sourced && !held) context.addIssue({ code: 'custom', path: ['source', name], message: 'names a setting the snapshot does not hold' });
    }
  });

export const agentEventV1 = z.discriminatedUnion('kind', [goenvChangeV1, goenvSnapshotV1], {
  error: (issue) =>
    issue.code === 'invalid_union' ? `must be one of ${agentEventKinds.join(', ')}` : issue.code === 'invalid_type' ? 'must be a JSON object' : undefined,
});

export type GoenvChangeV1 = z.infer<typeof goenvChangeV1>;
export type GoenvSnapshotV1 = z.infer<typeof goenvSnapshotV1>;
export type AgentEventV1 = z.infer<typeof agentEventV1>;

/** The schema of each version this service reads, by the value of `schema`. */
export const agentEventSchemas = { [agentSchemaV1]: agentEventV1 } as const;
