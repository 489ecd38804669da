import { z } from 'zod';
import { ModtrailError } from '../../core/errors.js';
import type { Decision } from '../../core/record.js';

const decisionSchema = z
  .object({
    ids: z.array(z.string()),
    names: z.array(z.string()),
    severity: z.int().min(1).max(5),
    risk_score: z.number().min(0).max(100),
    alert: z.boolean(),
  })
  .refine((decision) => decision.ids.length === decision.names.length, { error: 'ids and names differ in length' });

// The SDK returns a result set: one entry per binding of the entrypoint, here exactly one.
const resultSetSchema = z.tuple([z.object({ result: z.array(decisionSchema) })]);

type PolicyDecision = z.infer<typeof decisionSchema>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** The schema's checks written out, for the common case of a well-formed result; only the schema explains a bad one. */
function wellFormed(resultSet: unknown): PolicyDecision[] | undefined {
  if (!Array.isArray(resultSet) || resultSet.length !== 1 || !isObject(resultSet[0])) return undefined;
  const decisions: unknown = resultSet[0].result;
  if (!Array.isArray(decisions)) return undefined;
  for (const decision of decisions as unknown[]) {
    if (!isObject(decision)) return undefined;
    const { ids, names, severity, risk_score: riskScore, alert } = decision;
    if (!isStringArray(ids) || !isStringArray(names) || ids.length !== names.length) return undefined;
    if (typeof severity !== 'number' || !Number.isSafeInteger(severity) || severity < 1 || severity > 5) return undefined;
    if (typeof riskScore !== 'number' || !Number.isFinite(riskScore) || riskScore < 0 || riskScore > 100) return undefined;
    if (typeof alert !== 'boolean') return undefined;
  }
  return decisions as PolicyDecision[];
}

/** Checks the shape of one `modtrail/decisions` result set and converts it to decisions, aligned with the input. */
export function toDecisions(resultSet: unknown, expected: number, revision: string): Decision[] {
  const checked = wellFormed(resultSet);
  if (checked !== undefined) return decisionsOf(checked, expected, revision);
  const parsed = resultSetSchema.safeParse(resultSet);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.map(String).join('.') || 'result set';
    throw new ModtrailError('policy.evaluation_failed', `policy output: ${where}: ${issue?.message ?? 'unexpected shape'}`);
  }
  return decisionsOf(parsed.data[0].result, expected, revision);
}

function decisionsOf(decisions: readonly PolicyDecision[], expected: number, revision: string): Decision[] {
  if (decisions.length !== expected) {
    throw new ModtrailError(
      'policy.evaluation_failed',
      `policy output: ${decisions.length} decisions for ${expected} records; the policy must return one per record`,
    );
  }
  // Copies of the lists, frozen: a decision shares nothing with the result set, and the records judged alike share it.
  return decisions.map((decision) =>
    Object.freeze({
      ids: Object.freeze(decision.ids.slice()) as string[],
      names: Object.freeze(decision.names.slice()) as string[],
      severity: decision.severity,
      riskScore: decision.risk_score,
      alert: decision.alert,
      revision,
    }),
  );
}
