// policy replay against the real OpenSearch: stored records re-judged with new data, findings apart, originals untouched.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { policyReplay } from '../../src/cli/policy-replay.js';
import { configSchema } from '../../src/config/schema.js';
import type { AuditRecord } from '../../src/core/record.js';
import { createNormalizer } from '../../src/normalize/normalizer.js';
import { parsers } from '../../src/pipeline/registry.js';
import { OpenSearchSink } from '../../src/sinks/opensearch/opensearch-sink.js';
import { createOpenSearchClient } from '../../src/store/opensearch/client.js';

const indexPrefix = `replay-${randomUUID().slice(0, 8)}`;
const client = new Client({ node: inject('opensearchUrl') });

const users = ['jdoe', 'asmith', 'build-bot'];
const modules = ['golang.org/x/crypto', 'golang.org/x/text', 'github.com/stretchr/testify', 'gopkg.in/yaml.v3'];
function nexusLine(i: number, day: number): string {
  const module = modules[i % modules.length]!;
  return `10.0.0.${i % 250} - ${users[i % users.length]} [${String(day).padStart(2, '0')}/Jun/2026:10:${String(i % 60).padStart(2, '0')}:00 +0000] "GET /repository/go-proxy/${module}/@v/v1.0.${i}.zip HTTP/1.1" 200 - 1000 5 "Go-http-client/1.1"`;
}

async function snapshot(): Promise<Map<string, string>> {
  await client.indices.refresh({ index: `${indexPrefix}-audit` });
  const { body } = await client.search({ index: `${indexPrefix}-audit`, body: { size: 1000, seq_no_primary_term: true, version: true } });
  return new Map((body.hits.hits as { _id: string; _seq_no: number; _version: number; _source: unknown }[]).map((h) => [h._id, JSON.stringify([h._seq_no, h._version, h._source])]));
}

afterAll(async () => {
  await client.indices.delete({ index: `${indexPrefix}-*` }).catch(() => undefined);
  await client.indices.deleteIndexTemplate({ name: `${indexPrefix}-*` }).catch(() => undefined);
  await client.close();
});

describe('modtrail policy replay', () => {
  it('re-judges the range with new data, stores findings apart, and leaves the originals untouched', async () => {
    const normalize = createNormalizer(parsers, {});
    const lines = [...Array.from({ length: 40 }, (_, i) => nexusLine(i, 10)), ...Array.from({ length: 8 }, (_, i) => nexusLine(i, 20))];
    const records = lines.map((line, offset) => {
      const result = normalize({ value: Buffer.from(line), headers: { 'modtrail-format': 'nexus-request' }, origin: { topic: 't', partition: 0, offset: String(offset) }, receivedAt: new Date() }, new Date());
      if (!result.ok) throw new Error(result.rejection.reason);
      return result.record;
    });
    const sink = new OpenSearchSink(createOpenSearchClient({ node: inject('opensearchUrl'), indexPrefix, requestTimeoutMs: 10_000 }), indexPrefix);
    await sink.start();
    expect((await sink.write(records)).every((s) => s.status === 'delivered')).toBe(true);
    const before = await snapshot();

    // The day golang.org/x is found bad: the allowlist loses it.
    const data = JSON.parse(readFileSync('policies/data/default.json', 'utf8')) as { allowed_modules: string[] };
    const dataFile = join(mkdtempSync(join(tmpdir(), 'replay-data-')), 'data.json');
    writeFileSync(dataFile, JSON.stringify({ ...data, allowed_modules: data.allowed_modules.filter((p) => !p.startsWith('golang.org/x')) }));

    const config = configSchema.parse({ opensearch: { node: inject('opensearchUrl'), indexPrefix } });
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const summary = await policyReplay(
      config,
      { bundleDir: 'policies/bundle', dataFile },
      { from: new Date('2026-06-10T00:00:00Z'), to: new Date('2026-06-11T00:00:00Z') },
      { json: false },
      output,
    );

    // Only the 40 records of June 10 are judged; half of them are golang.org/x downloads.
    const inRange = records.slice(0, 40);
    const bad = inRange.filter((r: AuditRecord) => r.package!.name.startsWith('golang.org/x'));
    expect(summary.recordsJudged).toBe(40);
    expect(summary.recordsMatched).toBe(bad.length);
    expect(summary.findingsStored).toBe(bad.length);
    expect(summary.rules).toEqual({ 'module.not_allowlisted': bad.length });
    expect(Object.keys(summary.modules).sort()).toEqual(['golang.org/x/crypto', 'golang.org/x/text']);
    expect(Object.values(summary.users).reduce((a, b) => a + b, 0)).toBe(bad.length);
    expect(printed).toContain(`${bad.length} would match`);
    expect(printed).toContain('golang.org/x/crypto');

    await client.indices.refresh({ index: `${indexPrefix}-findings` });
    const { body } = await client.search({ index: `${indexPrefix}-findings`, body: { size: 100, query: { term: { 'replay.id': summary.replayId } } } });
    const findings = (body.hits.hits as { _source: { record: { id: string }; rule: { id: string[] } } }[]).map((h) => h._source);
    expect(findings.map((f) => f.record.id).sort()).toEqual(bad.map((r) => r.event.id).sort());
    expect(findings.every((f) => f.rule.id.includes('module.not_allowlisted'))).toBe(true);

    // The originals: same documents, same sequence numbers, same versions.
    expect(await snapshot()).toEqual(before);
  });
});
