// Exports through `modtrail serve`'s own wiring against the real Kafka and OpenSearch: lines consumed, hashed and
// sealed by the service, then POST /v1/exports as an auditor, poll, download the tar, and verify it offline with
// the verify-export command's code; an analyst is refused, and each answer is what /openapi.json documents.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Client } from '@opensearch-project/opensearch';
import { Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { responseProblems } from '../../src/api/testing/openapi-check.js';
import { testIssuer } from '../../src/api/testing/test-tokens.js';
import { verifyExportCommand } from '../../src/cli/verify-export.js';
import { configSchema } from '../../src/config/schema.js';
import type { ExportJobStatus } from '../../src/export/export-jobs.js';
import { generateSealKeyJwk, parseSealKeys, publicJwks } from '../../src/integrity/keys.js';
import { buildService, type Service } from '../../src/pipeline/build.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { removeTestData } from '../support/cleanup.js';
import { committedTotal, eventually, testKafka } from '../support/kafka-topics.js';
import { athensDownloadLine } from '../support/athens-line.js';

const run = randomUUID().slice(0, 8);
const topics = { proxy: `xs-proxy-${run}`, agent: `xs-agent-${run}`, deadLetter: `xs-dlq-${run}`, api: `xs-api-${run}` };
const groupId = `xs-${run}`;
const indexPrefix = `xs-${run}`;
const kafka = testKafka(inject('kafkaBrokers'));
const opensearch = new Client({ node: inject('opensearchUrl') });
const good = 24;
const bad = 2;
// The lines' own times; the service's API audit records (written now) fall outside it.
const range = { from: '2026-11-24T08:00:00Z', to: '2026-11-24T09:00:00Z' };
let work: string;
let service: Service;
let base: string;
let document: object;
let jwksFile: string;
const tokens: Record<string, string> = {};

const line = (i: number): string => athensDownloadLine(i, `xs-${run}-${i}`);

const call = (path: string, role: string, init: RequestInit = {}) =>
  fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${tokens[role]}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });

/** The answer is what the served /openapi.json documents (status, media type, JSON schema). */
/** Polls an export as an auditor until it is done (each answer checked against the spec); fails the test if it failed. */
async function finished(id: string): Promise<ExportJobStatus | undefined> {
  let status: ExportJobStatus | undefined;
  for (let i = 0; i < 300 && status?.state !== 'done'; i++) {
    const polled = await call(`/v1/exports/${id}`, 'auditor');
    await conforms(polled, '/v1/exports/{id}');
    status = (await polled.json()) as ExportJobStatus;
    expect(status.state).not.toBe('failed');
    if (status.state !== 'done') await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return status;
}

async function conforms(response: Response, template: string, method = 'GET'): Promise<void> {
  const type = response.headers.get('content-type') ?? '';
  const media = type.split(';', 1)[0]!.trim();
  const bytes = new Uint8Array(await response.clone().arrayBuffer());
  const body = media === 'application/json' || media.endsWith('+json') ? JSON.parse(Buffer.from(bytes).toString('utf8')) : bytes;
  expect(responseProblems(document, template, method, response.status, type, body), `${method} ${response.url}`).toEqual([]);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'modtrail-export-serve-'));
  const jwk = await generateSealKeyJwk(`xs-${run}`);
  const keyFile = join(work, 'seal-key.json');
  await writeFile(keyFile, JSON.stringify(jwk), { mode: 0o600 });
  // The auditor's keys, obtained out of band: the public part of the service's seal key.
  jwksFile = join(work, 'jwks.json');
  await writeFile(jwksFile, JSON.stringify(publicJwks(await parseSealKeys(JSON.stringify(jwk), { source: 'test key' }))));

  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: topics.proxy, numPartitions: 2 }], waitForLeaders: true });
  await admin.disconnect();

  const idp = await testIssuer();
  const config = configSchema.parse({
    log: { level: 'warn' },
    kafka: { brokers: inject('kafkaBrokers'), groupId, topics, topicFormats: { [topics.proxy]: 'athens' }, sessionTimeoutMs: 6000 },
    opensearch: { node: inject('opensearchUrl'), indexPrefix },
    metrics: { enabled: false },
    integrity: { keys: { file: keyFile }, sealEveryMs: 300, sealEveryRecords: 5 },
    export: { dir: join(work, 'jobs'), pageSize: 10 },
    api: { enabled: true, host: '127.0.0.1', port: 0, auth: { issuer: idp.issuer, audience: idp.audience, publicKeys: idp.jwks, rolesClaim: 'realm_access.roles' } },
  });
  service = buildService(config, createLogger('warn'), { initialDelayMs: 50, maxDelayMs: 500, maxElapsedMs: 20_000, multiplier: 2 });
  await service.start();
  base = `http://127.0.0.1:${service.apiPort()}`;
  tokens.auditor = await idp.sign({ sub: 'auditor@corp', realm_access: { roles: ['auditor'] } });
  tokens.analyst = await idp.sign({ sub: 'analyst@corp', realm_access: { roles: ['analyst'] } });
  document = (await (await fetch(`${base}/openapi.json`)).json()) as object;

  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({
    topic: topics.proxy,
    acks: -1,
    messages: [
      ...Array.from({ length: good }, (_, i) => ({ value: line(i), partition: i % 2 })),
      ...Array.from({ length: bad }, (_, i) => ({ value: `not an athens line ${i}`, partition: i % 2 })),
    ],
  });
  await producer.disconnect();
  await eventually(() => committedTotal(kafka, groupId, topics.proxy), (total) => total === good + bad);
  // Every offset of the proxy topic sealed before the export starts, so the export proves completeness.
  await eventually(
    async () => {
      await opensearch.indices.refresh({ index: `${indexPrefix}-seals*` }).catch(() => undefined);
      const { body } = await opensearch
        .search({ index: `${indexPrefix}-seals`, body: { size: 100, query: { term: { 'stream.topic': topics.proxy } } } })
        .catch(() => ({ body: { hits: { hits: [] } } }));
      const seals = body.hits.hits as { _source: { offsets: { first: string; last: string } } }[];
      return seals.reduce((sum, { _source }) => sum + Number(_source.offsets.last) - Number(_source.offsets.first) + 1, 0);
    },
    (covered) => covered === good + bad,
  );
}, 120_000);

afterAll(async () => {
  await service?.stop();
  await removeTestData({ kafka, topics: Object.values(topics), opensearch, indexPrefix });
  await opensearch.close();
  await rm(work, { recursive: true, force: true });
});

describe('exports through modtrail serve', () => {
  it('refuses an analyst with 403', async () => {
    const refused = await call('/v1/exports', 'analyst', { method: 'POST', body: JSON.stringify(range) });
    expect(refused.status).toBe(403);
    await conforms(refused, '/v1/exports', 'POST');
  });

  it('exports for an auditor: POST, poll, download the tar, verify offline clean', async () => {
    const started = await call('/v1/exports', 'auditor', { method: 'POST', body: JSON.stringify({ ...range, format: 'csv' }) });
    expect(started.status).toBe(202);
    await conforms(started, '/v1/exports', 'POST');
    const { id } = (await started.json()) as ExportJobStatus;
    expect(started.headers.get('location')).toBe(`/v1/exports/${id}`);

    const status = await finished(id);
    expect(status).toMatchObject({ state: 'done', records: good, requestedBy: { subject: 'auditor@corp' } });

    const tar = await call(`/v1/exports/${id}/download`, 'auditor');
    expect(tar.status).toBe(200);
    await conforms(tar, '/v1/exports/{id}/download');
    const out = join(work, 'download');
    await mkdir(out);
    await writeFile(join(out, 'bundle.tar'), Buffer.from(await tar.arrayBuffer()));
    execFileSync('tar', ['-xf', join(out, 'bundle.tar'), '-C', out]);
    const dir = join(out, `modtrail-export-${id}`);

    const printed = new PassThrough();
    let text = '';
    printed.on('data', (chunk: Buffer) => (text += chunk.toString()));
    // Strict: no --allow-gaps; a plain producer leaves no gaps.
    expect(await verifyExportCommand(dir, { jwks: jwksFile, json: true }, printed)).toBe(0);
    const report = JSON.parse(text) as { ok: boolean; manifestVerified: boolean; problems: unknown[]; checked: Record<string, number> };
    expect(report).toMatchObject({ ok: true, manifestVerified: true, problems: [] });
    expect(report.checked).toMatchObject({ records: good, sealedRecords: good, deadLetters: bad });
    const manifest = JSON.parse(Buffer.from((await readFile(join(dir, 'manifest.jws'), 'utf8')).split('.')[1]!, 'base64url').toString()) as { completeness: string; exporter: object; records: { unsealed: number } };
    expect(manifest).toMatchObject({ completeness: 'complete', exporter: { subject: 'auditor@corp' }, records: { unsealed: 0 } });

    // A tampered copy fails the same check: one record's user changed in records.jsonl.
    const records = await readFile(join(dir, 'records.jsonl'), 'utf8');
    await writeFile(join(dir, 'records.jsonl'), records.replace('"golang.org/x/text"', '"golang.org/x/text2"'));
    text = '';
    expect(await verifyExportCommand(dir, { jwks: jwksFile, json: true }, printed)).toBe(1);
    expect((JSON.parse(text) as { problems: { kind: string }[] }).problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['file_modified', 'record_modified']));
  }, 120_000);

  it('exports as OCSF and serves the OCSF file alone', async () => {
    const started = await call('/v1/exports', 'auditor', { method: 'POST', body: JSON.stringify({ ...range, format: 'ocsf' }) });
    expect(started.status).toBe(202);
    await conforms(started, '/v1/exports', 'POST');
    const { id } = (await started.json()) as ExportJobStatus;
    const status = await finished(id);
    expect(status!.query.format).toBe('ocsf');
    const file = await call(`/v1/exports/${id}/download/records.ocsf.jsonl`, 'auditor');
    expect(file.status).toBe(200);
    await conforms(file, '/v1/exports/{id}/download/{file}');
    const events = (await file.text()).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { class_uid: number; api?: { operation?: string } });
    expect(events).toHaveLength(good);
    expect(events.every((e) => e.class_uid === 6003)).toBe(true);
  }, 120_000);
});
