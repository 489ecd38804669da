import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ModtrailError } from '../../core/errors.js';

/** Every rule id the policy in policies/rego defines; operators' severity overrides must name one of them. */
export const ruleIds = [
  'module.not_allowlisted',
  'module.denied',
  'module.private_leak',
  'goenv.goproxy_unapproved',
  'goenv.gosumdb_disabled',
  'goenv.insecure',
  'goenv.private_too_broad',
  'goenv.unmanaged_change',
  'action.sensitive',
  'action.login_denied',
] as const;

const nonEmpty = 'must be a non-empty string';
const nonEmptyString = z.string({ error: nonEmpty }).min(1, { error: nonEmpty });
const stringList = z.array(nonEmptyString, {
  error: (issue) => (issue.input === undefined ? 'is required (an array of strings)' : 'must be an array of non-empty strings'),
});
const optionalStringList = z.array(nonEmptyString, { error: 'must be an array of non-empty strings' }).optional();

/** A canonical Go module version: semantic versioning with a leading v (v1.2.3, v1.2.3-rc.1, v2.0.0+incompatible). */
const goVersionPattern =
  /^v(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const goVersion = (example: string) =>
  z.string({ error: `must be a Go version such as ${example}` }).regex(goVersionPattern, { error: `must be a Go version such as ${example}` });

const deniedVersionKeys = ['pattern', 'versions', 'below'];

/** Some versions of the modules a pattern covers: exact versions, every version below one, or both. */
const deniedVersions = z
  .strictObject(
    {
      pattern: z.string({ error: 'is required (a module path pattern)' }).min(1, { error: nonEmpty }),
      versions: z.array(goVersion('v1.2.3'), { error: 'must be an array of Go versions such as v1.2.3' }).min(1, { error: 'must list at least one version' }).optional(),
      below: goVersion('v1.4.0').optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `has an unknown key ${issue.keys.map((key) => JSON.stringify(key)).join(', ')} (allowed: ${deniedVersionKeys.join(', ')})`
          : undefined,
    },
  )
  .refine((entry) => entry.versions !== undefined || entry.below !== undefined, {
    error: 'must name versions or below (a plain pattern string denies every version)',
  });

export type DeniedModule = string | z.infer<typeof deniedVersions>;

const isPlainObject = (value: unknown): value is object => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A pattern string denies every version; an object denies some. Checked by its kind, so problems name its keys. */
const deniedEntry = z.unknown().transform((value, context): DeniedModule => {
  const schema = typeof value === 'string' ? nonEmptyString : isPlainObject(value) ? deniedVersions : undefined;
  if (schema === undefined) {
    context.addIssue({ code: 'custom', message: 'must be a pattern string or an object {"pattern", "versions", "below"}' });
    return z.NEVER;
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) context.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

/** A host as the first element of a module path: lower-case letters, digits, dots and hyphens. */
const hostName = z.string({ error: 'must be a host name such as github.com' }).regex(/^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/, {
  error: 'must be a host name such as github.com',
});

const knownRuleIds = new Set<string>(ruleIds);
const severity = z.int({ error: 'must be an integer from 1 (informational) to 5 (critical)' }).min(1, {
  error: 'must be an integer from 1 (informational) to 5 (critical)',
}).max(5, { error: 'must be an integer from 1 (informational) to 5 (critical)' });

/** The data the Rego reads as `data.*`; module lists hold GOPRIVATE-style patterns. Further keys are kept. */
export const policyDataSchema = z.looseObject(
  {
    allowed_modules: stringList,
    denied_modules: z.array(deniedEntry, {
      error: (issue) => (issue.input === undefined ? 'is required (an array of patterns)' : 'must be an array of pattern strings and objects'),
    }),
    private_modules: stringList,
    approved_goproxy: stringList.superRefine((urls, context) => {
      urls.forEach((url, i) => {
        if (url.trim() === 'direct') {
          context.addIssue({ code: 'custom', path: [i], message: 'cannot be direct: allow it with goproxy_allow_direct: true' });
        }
      });
    }),
    approved_gosumdb: stringList.superRefine((names, context) => {
      names.forEach((name, i) => {
        if (name.trim() === 'off') context.addIssue({ code: 'custom', path: [i], message: 'cannot be off: that disables checksum verification' });
      });
    }),
    /** Proxy repositories (Artifactory, Nexus) that forward requests to the public internet. */
    public_repositories: optionalStringList,
    /** Hosts of public modules, probed to judge GOPRIVATE-style patterns too broad. */
    public_hosts: z.array(hostName, { error: 'must be an array of host names' }).optional(),
    goproxy_allow_direct: z.boolean({ error: 'must be true or false' }).optional(),
    /** Glob patterns on host names of machines whose Go settings are managed. */
    managed_hosts: optionalStringList,
    severities: z
      .record(z.string().refine((id) => knownRuleIds.has(id)), severity, {
        error: (issue) =>
          issue.code === 'invalid_key' ? `is not a rule id (one of ${ruleIds.join(', ')})` : 'must be an object of rule id → severity 1..5',
      })
      .optional(),
  },
  { error: 'must be a JSON object' },
);

export type PolicyData = z.infer<typeof policyDataSchema>;

/** `denied_modules[2].below`, `severities["module.denied"]`: the way a person would point at the value in the file. */
function keyPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => {
      if (typeof key === 'number') return `[${key}]`;
      const name = String(key);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return `[${JSON.stringify(name)}]`;
      return `${i > 0 ? '.' : ''}${name}`;
    })
    .join('');
}

export function parsePolicyData(value: unknown): PolicyData {
  const result = policyDataSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => [keyPath(issue.path), issue.message].filter(Boolean).join(' '));
  throw new ModtrailError('policy.data_invalid', `policy data: ${problems.join('; ')}`);
}

/** Reads and validates the data file: an unreadable file cannot be loaded; unparsable content is invalid data. */
export async function loadPolicyData(file: string): Promise<PolicyData> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    // The cause carries the system message; the code is enough here (logs append the cause).
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ModtrailError('policy.load_failed', `policy data: cannot read ${path} (${reason})`, {
      cause: error,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ModtrailError('policy.data_invalid', `policy data: ${path} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parsePolicyData(value);
}
