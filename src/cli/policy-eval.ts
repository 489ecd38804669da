import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { AuditRecord } from '../core/record.js';
import { auditRecordProblems } from '../core/record-schema.js';
import { applyDecision } from '../evaluate/opa/apply-decision.js';
import { OpaEvaluator } from '../evaluate/opa/opa-evaluator.js';
import type { PolicySource } from '../evaluate/opa/policy-reloader.js';

const batchSize = 500;

/**
 * `modtrail policy eval`: audit records (JSON lines, as `modtrail normalize` writes them) in, the same records
 * with the decision attached out. A line that is not a valid record is reported on `errors`; exit status 2.
 */
export async function policyEval(source: PolicySource, input: Readable, output: Writable, errors: Writable): Promise<number> {
  const evaluator = new OpaEvaluator(source);
  await evaluator.start();
  let pending: AuditRecord[] = [];
  let invalid = 0;
  let lineNumber = 0;
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const decisions = await evaluator.evaluate(pending);
    const text = pending.map((record, i) => JSON.stringify(applyDecision(record, decisions[i]!))).join('\n');
    pending = [];
    if (!output.write(`${text}\n`)) await once(output, 'drain');
  };
  try {
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      lineNumber++;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        value = undefined;
      }
      const problems = value === undefined ? ['not JSON'] : auditRecordProblems(value);
      if (problems.length > 0) {
        invalid++;
        errors.write(`${JSON.stringify({ line: lineNumber, reason: `not an audit record: ${problems.slice(0, 5).join('; ')}` })}\n`);
        continue;
      }
      pending.push(value as AuditRecord);
      if (pending.length >= batchSize) await flush();
    }
    await flush();
  } finally {
    await evaluator.stop();
  }
  return invalid > 0 ? 2 : 0;
}
