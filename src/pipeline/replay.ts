import { randomUUID } from 'node:crypto';
import type { Evaluator, Settlement } from '../core/component.js';
import type { AuditRecord, Decision } from '../core/record.js';
import type { RetryPolicy } from '../delivery/retry.js';
import { settleWrites } from '../delivery/settle-writes.js';
import type { AuditReader, TimeRange } from '../store/audit-store.js';
import type { ReplayRun } from '../store/opensearch/findings-store.js';

export interface ReplaySummary {
  replayId: string;
  revision: string;
  recordsJudged: number;
  recordsMatched: number;
  findingsStored: number;
  rules: Record<string, number>;
  users: Record<string, number>;
  hosts: Record<string, number>;
  modules: Record<string, number>;
}

export interface ReplayStages {
  reader: AuditReader;
  evaluator: Evaluator & { revision: string | undefined };
  applyDecision: (record: AuditRecord, decision: Decision) => AuditRecord;
  saveFindings: (run: ReplayRun, judged: readonly AuditRecord[]) => Promise<Settlement[]>;
  retryPolicy: RetryPolicy;
  onProgress?: (judged: number) => void;
}

const bump = (counts: Record<string, number>, key: string | undefined): void => {
  if (key !== undefined) counts[key] = (counts[key] ?? 0) + 1;
};

/**
 * Re-judges stored records of a time range with another policy and stores what it would have found, apart
 * from the originals (which are only read). Answers "who pulled this module since June" on the day it turns bad.
 */
export async function replayPolicy(range: TimeRange, stages: ReplayStages): Promise<ReplaySummary> {
  const run: ReplayRun = { id: randomUUID(), at: new Date(), revision: stages.evaluator.revision ?? 'unknown', from: range.from, to: range.to };
  const summary: ReplaySummary = {
    replayId: run.id,
    revision: run.revision,
    recordsJudged: 0,
    recordsMatched: 0,
    findingsStored: 0,
    rules: {},
    users: {},
    hosts: {},
    modules: {},
  };
  for await (const page of stages.reader.scan(range)) {
    const decisions = await stages.evaluator.evaluate(page);
    const findings = page.map((record, i) => stages.applyDecision(record, decisions[i]!)).filter((record) => (record.rule?.id.length ?? 0) > 0);
    summary.recordsJudged += page.length;
    summary.recordsMatched += findings.length;
    for (const finding of findings) {
      for (const rule of finding.rule!.id) bump(summary.rules, rule);
      bump(summary.users, finding.user?.name);
      bump(summary.hosts, finding.host?.name);
      bump(summary.modules, finding.package?.name);
    }
    const written = await settleWrites(findings, (pending) => stages.saveFindings(run, pending), stages.retryPolicy);
    if (written.rejected.length > 0) throw new Error(`findings refused by the store: ${written.rejected[0]!.reason}`);
    summary.findingsStored += written.delivered.length;
    stages.onProgress?.(summary.recordsJudged);
  }
  return summary;
}
