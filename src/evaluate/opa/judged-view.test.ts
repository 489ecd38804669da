import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../core/record.js';
import { sourceFormats } from '../../core/component.js';
import { fixtureRecord, readFixtures } from '../../cli/policy-test.js';
import { contextFor, readParserCases } from '../../normalize/testdata-runner.js';
import { parsers } from '../../pipeline/registry.js';
import { judgedView } from './judged-view.js';
import { OpaEvaluator } from './opa-evaluator.js';
import { decisionsEntrypoint, loadPolicyBundle } from './policy-bundle.js';
import { loadPolicyData } from './policy-data.js';
import { policyView } from './policy-view.js';

/** Every record the project has examples of: each parser's accepted testdata, and every policy fixture. */
function corpus(): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (const format of sourceFormats) {
    const parser = parsers.find((p) => p.format === format)!;
    for (const c of readParserCases(new URL(`../../normalize/${format}/testdata/cases.json`, import.meta.url))) {
      const result = parser.parse(c.raw, contextFor(new Date(c.receivedAt), c.observerName));
      if (result.ok) records.push(result.record);
    }
  }
  for (const fixture of readFixtures('policies/fixtures')) records.push(fixtureRecord(fixture) as unknown as AuditRecord);
  return records;
}

describe('judgedView', () => {
  it('gives the same decisions as the full policy view on every example record', async () => {
    const records = corpus();
    expect(readdirSync('policies/fixtures').length).toBeGreaterThan(0);
    expect(records.length).toBeGreaterThan(150);
    const { policy } = await loadPolicyBundle('policies/bundle');
    policy.setData(await loadPolicyData('policies/data/default.json'));
    const onFullView = policy.evaluate({ records: records.map(policyView) }, decisionsEntrypoint);
    const onJudgedView = policy.evaluate({ records: records.map(judgedView) }, decisionsEntrypoint);
    expect(onJudgedView).toEqual(onFullView);
    // The corpus must exercise the rules, or agreement proves nothing.
    const matched = new Set((onFullView as { result: { ids: string[] }[] }[])[0]!.result.flatMap((d) => d.ids));
    expect(matched.size).toBeGreaterThanOrEqual(9);
  });

  it('judges repeated views once; records judged alike share one frozen decision', async () => {
    const evaluator = new OpaEvaluator({ bundleDir: 'policies/bundle', dataFile: 'policies/data/default.json' });
    await evaluator.start();
    const [first, second] = corpus().filter((r) => r.package !== undefined && r.event.action === 'module.zip');
    const decisions = await evaluator.evaluate([first!, second!, first!]);
    await evaluator.stop();
    expect(decisions).toHaveLength(3);
    expect(decisions[2]).toEqual(decisions[0]);
    expect(Object.isFrozen(decisions[0]) && Object.isFrozen(decisions[0]!.ids) && Object.isFrozen(decisions[0]!.names)).toBe(true);
  });
});
