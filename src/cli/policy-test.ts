import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { ecsVersion, type AuditRecord } from '../core/record.js';
import { auditRecordProblems } from '../core/record-schema.js';
import { OpaEvaluator } from '../evaluate/opa/opa-evaluator.js';
import type { PolicySource } from '../evaluate/opa/policy-reloader.js';

/** One policy fixture: a record (merged onto a plain proxy download) and the rule ids it must raise, no more. */
export interface PolicyFixture {
  name: string;
  record: Record<string, unknown>;
  expected: string[];
}

const baseRecord: AuditRecord = {
  '@timestamp': '2026-01-01T00:00:00.000Z',
  ecs: { version: ecsVersion },
  event: {
    id: '0000000000000000000000000000000000000000',
    kind: 'event',
    category: ['web', 'package'],
    type: ['access'],
    action: 'module.zip',
    outcome: 'success',
    dataset: 'athens.access',
    ingested: '2026-01-01T00:00:01.000Z',
    original: 'fixture',
  },
  observer: { product: 'athens', type: 'proxy' },
};

function merge(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const current = result[key];
    const bothObjects = [current, value].every((v) => typeof v === 'object' && v !== null && !Array.isArray(v));
    result[key] = bothObjects ? merge(current as Record<string, unknown>, value as Record<string, unknown>) : value;
  }
  return result;
}

export function readFixtures(dir: string): PolicyFixture[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .flatMap((name) => (JSON.parse(readFileSync(join(dir, name), 'utf8')) as PolicyFixture[]).map((f) => ({ ...f, name: `${name}: ${f.name}` })));
}

/** The record a fixture stands for: its partial record merged onto a plain proxy download. */
export function fixtureRecord(fixture: PolicyFixture): Record<string, unknown> {
  return merge(baseRecord as unknown as Record<string, unknown>, fixture.record);
}

/** `modtrail policy test`: every fixture judged in one batch; prints each failure and a summary; 0 or 1. */
export async function policyTest(source: PolicySource, fixturesDir: string, output: Writable): Promise<number> {
  const fixtures = readFixtures(fixturesDir);
  const records = fixtures.map(fixtureRecord);
  const malformed = records.map((record, i) => [fixtures[i]!.name, auditRecordProblems(record)] as const).filter(([, problems]) => problems.length > 0);
  for (const [name, problems] of malformed) output.write(`INVALID ${name}: ${problems.join('; ')}\n`);
  const evaluator = new OpaEvaluator(source);
  await evaluator.start();
  const decisions = await evaluator.evaluate(records as unknown as AuditRecord[]).finally(() => evaluator.stop());
  let failed = malformed.length;
  fixtures.forEach((fixture, i) => {
    const got = [...decisions[i]!.ids].sort();
    const want = [...fixture.expected].sort();
    if (got.join(',') !== want.join(',')) {
      failed++;
      output.write(`FAIL ${fixture.name}\n  expected [${want.join(', ')}]\n  got      [${got.join(', ')}]\n`);
    }
  });
  output.write(`${fixtures.length - failed} passed, ${failed} failed\n`);
  return failed > 0 ? 1 : 0;
}
