import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { ModtrailError } from '../../core/errors.js';

const nonEmpty = 'must be a non-empty string';
const stringList = z.array(z.string({ error: nonEmpty }).min(1, { error: nonEmpty }), {
  error: (issue) => (issue.input === undefined ? 'is required (an array of strings)' : 'must be an array of non-empty strings'),
});

/** The data the Rego reads as `data.*`; module lists hold GOPRIVATE-style patterns. Further keys are kept. */
export const policyDataSchema = z.looseObject(
  {
    allowed_modules: stringList,
    denied_modules: stringList,
    private_modules: stringList,
    approved_goproxy: stringList,
    approved_gosumdb: stringList,
  },
  { error: 'must be a JSON object' },
);

export type PolicyData = z.infer<typeof policyDataSchema>;

/** `allowed_modules[2]`, the way a person would point at the value in the file. */
function keyPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i > 0 ? '.' : ''}${String(key)}`)).join('');
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
    throw new ModtrailError('policy.load_failed', `policy data: cannot read ${path}: ${(error as Error).message}`, {
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
