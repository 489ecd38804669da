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

/** Checks the shape of one `modtrail/decisions` result set and converts it to decisions, aligned with the input. */
export function toDecisions(resultSet: unknown, expected: number, revision: string): Decision[] {
  const parsed = resultSetSchema.safeParse(resultSet);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.map(String).join('.') || 'result set';
    throw new ModtrailError('policy.evaluation_failed', `policy output: ${where}: ${issue?.message ?? 'unexpected shape'}`);
  }
  const decisions = parsed.data[0].result;
  if (decisions.length !== expected) {
    throw new ModtrailError(
      'policy.evaluation_failed',
      `policy output: ${decisions.length} decisions for ${expected} records; the policy must return one per record`,
    );
  }
  return decisions.map((decision) => ({
    ids: decision.ids,
    names: decision.names,
    severity: decision.severity,
    riskScore: decision.risk_score,
    alert: decision.alert,
    revision,
  }));
}
