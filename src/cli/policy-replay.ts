import type { Writable } from 'node:stream';
import type { Config } from '../config/schema.js';
import { defaultRetryPolicy } from '../delivery/retry.js';
import { applyDecision } from '../evaluate/opa/apply-decision.js';
import { OpaEvaluator } from '../evaluate/opa/opa-evaluator.js';
import type { PolicySource } from '../evaluate/opa/policy-reloader.js';
import { replayPolicy, type ReplaySummary } from '../pipeline/replay.js';
import type { TimeRange } from '../store/audit-store.js';
import { OpenSearchAuditReader } from '../store/opensearch/audit-reader.js';
import { createOpenSearchClient } from '../store/opensearch/client.js';
import { OpenSearchFindingsStore } from '../store/opensearch/findings-store.js';
import { ensureIndexTemplates } from '../store/opensearch/index-templates.js';

/** `modtrail policy replay`: re-judge stored records with another bundle or data; findings go to their own index. */
export async function policyReplay(
  config: Readonly<Config>,
  source: PolicySource,
  range: TimeRange,
  options: { json: boolean },
  output: Writable,
): Promise<ReplaySummary> {
  const client = createOpenSearchClient(config.opensearch);
  const evaluator = new OpaEvaluator(source);
  try {
    await ensureIndexTemplates(client, config.opensearch.indexPrefix);
    await evaluator.start();
    const findings = new OpenSearchFindingsStore(client, config.opensearch.indexPrefix);
    const summary = await replayPolicy(range, {
      reader: new OpenSearchAuditReader(client, config.opensearch.indexPrefix),
      evaluator,
      applyDecision,
      saveFindings: (run, judged) => findings.save(run, judged),
      retryPolicy: defaultRetryPolicy,
    });
    output.write(options.json ? `${JSON.stringify(summary)}\n` : describe(summary, range, config.opensearch.indexPrefix));
    return summary;
  } finally {
    await evaluator.stop();
    await client.close();
  }
}

function top(counts: Record<string, number>, limit = 10): string {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (entries.length === 0) return '  (none)\n';
  const shown = entries.slice(0, limit).map(([name, count]) => `  ${String(count).padStart(8)}  ${name}\n`);
  return shown.join('') + (entries.length > limit ? `  … and ${entries.length - limit} more\n` : '');
}

function describe(summary: ReplaySummary, range: TimeRange, prefix: string): string {
  return [
    `replay ${summary.replayId} with policy ${summary.revision}`,
    `range ${range.from.toISOString()} to ${range.to.toISOString()}`,
    `${summary.recordsJudged} records judged, ${summary.recordsMatched} would match, ${summary.findingsStored} findings stored in ${prefix}-findings (replay.id ${summary.replayId})`,
    '',
    'rules:',
    top(summary.rules),
    'users:',
    top(summary.users),
    'hosts:',
    top(summary.hosts),
    'modules:',
    top(summary.modules),
  ].join('\n');
}
