// Exports against the real OpenSearch: records, seals and dead letters stored as the service stores them, exported,
// verified offline; then tampering in the store and in a copy of the bundle is found, by the CLI commands too.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Client } from '@opensearch-project/opensearch';
import type { JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { exportCommand } from '../../src/cli/export.js';
import { verifyExportCommand } from '../../src/cli/verify-export.js';
import { configSchema } from '../../src/config/schema.js';
import type { AuditRecord } from '../../src/core/record.js';
import { bundleFiles } from '../../src/export/bundle-layout.js';
import { runExport } from '../../src/export/exporter.js';
import { inTimeRange } from '../../src/export/filters.js';
import { openSearchExportSource } from '../../src/export/opensearch-export-source.js';
import { verifyBundle } from '../../src/export/verify-bundle.js';
import { generateSealKeyJwk, parseSealKeys, publicJwks } from '../../src/integrity/keys.js';
import type { Seal } from '../../src/integrity/seal-format.js';
import { bulkCreate } from '../../src/store/opensearch/bulk-create.js';
import { dailyIndex } from '../../src/store/opensearch/index-names.js';
import { ensureIndexTemplates } from '../../src/store/opensearch/index-templates.js';
import { OpenSearchSealStore } from '../../src/store/opensearch/seal-store.js';
import { exportFixture, type ExportFixture } from './export-fixture.js';

const indexPrefix = `export-${randomUUID().slice(0, 8)}`;
const topic = `export-test-${randomUUID().slice(0, 8)}`;
const client = new Client({ node: inject('opensearchUrl') });
const range = { from: new Date('2026-03-01T10:05:00Z'), to: new Date('2026-03-01T10:25:00Z') };
const exporter = { subject: 'auditor@example.com', issuer: 'https://idp.example.com' };
let fixture: ExportFixture;
let jwks: JSONWebKeySet;
let work: string;
let keyFile: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'modtrail-export-it-'));
  const jwk = await generateSealKeyJwk('export-it-1');
  keyFile = join(work, 'seal-key.json');
  await writeFile(keyFile, JSON.stringify(jwk));
  fixture = await exportFixture(topic, await parseSealKeys(JSON.stringify(jwk), { source: 'test key' }));
  jwks = publicJwks(fixture.keyring) as unknown as JSONWebKeySet;

  await ensureIndexTemplates(client, indexPrefix);
  const stored = await bulkCreate(client, fixture.records.map((record) => ({ index: dailyIndex(indexPrefix, 'audit', record['@timestamp']), id: record.event.id, body: record })));
  expect(stored.every((s) => s.status === 'delivered')).toBe(true);
  const seals = new OpenSearchSealStore(client, indexPrefix);
  for (const { jws } of fixture.seals) {
    const seal = JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as Seal;
    await seals.create({ seal, jws, hash: 'unused-by-readers', kid: fixture.keyring.active.kid, alg: fixture.keyring.active.alg });
  }
  const letters = await bulkCreate(
    client,
    fixture.deadLetters.map((letter) => ({
      index: dailyIndex(indexPrefix, 'deadletters', letter.time!),
      id: `${letter.origin.topic}/${letter.origin.partition}/${letter.origin.offset}`,
      body: { '@timestamp': letter.time, origin: letter.origin, stage: letter.stage, code: letter.code, reason: letter.reason, original: letter.original_base64, original_sha256: 'x', dead_lettered_at: letter.time },
    })),
  );
  expect(letters.every((s) => s.status === 'delivered')).toBe(true);
  await client.indices.refresh({ index: `${indexPrefix}-*` });
});

afterAll(async () => {
  await client.indices.delete({ index: `${indexPrefix}-*` }).catch(() => undefined);
  await client.indices.deleteIndexTemplate({ name: `${indexPrefix}-*` }).catch(() => undefined);
  await client.close();
  await rm(work, { recursive: true, force: true });
});

const source = () => openSearchExportSource(client, indexPrefix);
const lines = async (dir: string, file: string) => (await readFile(join(dir, file), 'utf8')).split('\n').filter((l) => l !== '');

describe('export from the real OpenSearch', () => {
  it('exports the range with its covering seals whole, and verifies clean offline', async () => {
    const dir = join(work, 'full');
    const phases: string[] = [];
    const { manifest } = await runExport({ range, filters: {}, format: 'csv', exporter }, { dir, source: source(), keyring: fixture.keyring, pageSize: 7, onProgress: (p) => phases.push(p.phase) });
    const expected = fixture.records.filter((r) => inTimeRange(r, range.from, range.to));
    const texts = await lines(dir, bundleFiles.records);
    const exported = texts.map((l) => JSON.parse(l) as AuditRecord);
    expect(exported.map((r) => r.event.id).sort()).toEqual(expected.map((r) => r.event.id).sort());
    // Each line is the stored document's bytes, exactly as OpenSearch returns its _source (in storage order).
    for (const [i, record] of exported.entries()) {
      const stored = await fetch(`${inject('opensearchUrl')}/${dailyIndex(indexPrefix, 'audit', record['@timestamp'])}/_source/${encodeURIComponent(record.event.id)}`);
      expect(texts[i]).toBe(await stored.text());
    }
    expect(manifest.seals).toHaveLength(4);
    expect(manifest.records).toEqual({ count: expected.length, unsealed: 3, context: 15 });
    expect(manifest.dead_letters).toBe(1);
    expect(phases.at(-1)).toBe('done');
    const result = await verifyBundle(dir, jwks, { allowGaps: true });
    expect(result.problems).toEqual([]);
    expect(result.checked).toMatchObject({ records: expected.length, sealedRecords: expected.length - 3, contextRecords: 15, seals: 4, deadLetters: 1 });
  });

  it('filters in the store exactly as the verifier checks them', async () => {
    const dir = join(work, 'filtered');
    const { manifest } = await runExport({ range, filters: { user: 'asmith', minSeverity: 4 }, format: 'jsonl', exporter }, { dir, source: source(), keyring: fixture.keyring });
    const expected = fixture.records.filter((r) => inTimeRange(r, range.from, range.to) && r.user?.name === 'asmith' && r.event.severity! >= 4);
    expect(expected.length).toBeGreaterThan(0);
    expect(manifest.records.count).toBe(expected.length);
    expect(manifest.completeness).toBe('inclusion');
    expect((await verifyBundle(dir, jwks, { allowGaps: true })).problems).toEqual([]);
  });

  it('finds a record changed in the store before the export, and a copy of the bundle changed after it (CLI)', async () => {
    const victim = fixture.records.find((r) => inTimeRange(r, range.from, range.to) && r.modtrail!.origin!.partition === 1)!;
    const index = dailyIndex(indexPrefix, 'audit', victim['@timestamp']);
    const config = configSchema.parse({ opensearch: { node: inject('opensearchUrl'), indexPrefix }, integrity: { keys: { file: keyFile } } });
    const jwksFile = join(work, 'jwks.json');
    await writeFile(jwksFile, JSON.stringify(jwks));
    const out = new PassThrough();
    let printed = '';
    out.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    try {
      // Someone with write access to the index softens a verdict.
      await client.index({ index, id: victim.event.id, body: { ...victim, user: { name: 'nobody' } }, refresh: true });
      const dir = join(work, 'cli');
      expect(await exportCommand(config, { from: range.from, to: range.to, filters: {}, format: 'jsonl', out: dir, exporter: 'it-test' }, out)).toBe(0);
      expect(printed).toContain(`written to ${dir}`);
      printed = '';
      expect(await verifyExportCommand(dir, { jwks: jwksFile, allowGaps: true }, out)).toBe(1);
      expect(printed).toContain(`PROBLEM record_modified: ${bundleFiles.records} line`);
      expect(printed).toContain(victim.event.id);
      expect(printed.match(/^PROBLEM/gm)).toHaveLength(1);
    } finally {
      await client.index({ index, id: victim.event.id, body: victim, refresh: true });
    }

    const clean = join(work, 'cli-clean');
    expect(await exportCommand(config, { from: range.from, to: range.to, filters: {}, format: 'jsonl', out: clean }, out)).toBe(0);
    printed = '';
    expect(await verifyExportCommand(clean, { jwks: jwksFile, allowGaps: true }, out)).toBe(0);
    expect(printed).toContain('OK: no problem found');
    const copy = join(work, 'cli-tampered');
    await cp(clean, copy, { recursive: true });
    const records = await lines(copy, bundleFiles.records);
    await writeFile(join(copy, bundleFiles.records), records.slice(1).map((l) => `${l}\n`).join(''));
    printed = '';
    expect(await verifyExportCommand(copy, { jwks: jwksFile, json: true, allowGaps: true }, out)).toBe(1);
    const report = JSON.parse(printed) as { ok: boolean; problems: { kind: string }[] };
    expect(report.ok).toBe(false);
    expect([...new Set(report.problems.map((p) => p.kind))].sort()).toEqual(['file_modified', 'record_deleted']);
  });

  it('draws a progress bar on a terminal', async () => {
    const config = configSchema.parse({ opensearch: { node: inject('opensearchUrl'), indexPrefix }, integrity: { keys: { file: keyFile } } });
    const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    let drawn = '';
    terminal.on('data', (chunk: Buffer) => (drawn += chunk.toString()));
    expect(await exportCommand(config, { from: range.from, to: range.to, filters: {}, format: 'jsonl', out: join(work, 'tty') }, terminal)).toBe(0);
    expect(drawn).toMatch(/records \| [0-9.]+ MB/);
    expect(drawn).toContain('written to');
  });

  it('runs as `modtrail export` and `modtrail verify-export` (needs npm run build): flags become filters, no bar when piped', async () => {
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, ['bin/modtrail.js', ...args], {
        env: { PATH: process.env.PATH ?? '', MODTRAIL_OPENSEARCH_URL: inject('opensearchUrl'), MODTRAIL_OPENSEARCH_INDEX_PREFIX: indexPrefix, MODTRAIL_INTEGRITY_KEYS_FILE: keyFile },
      }).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
      );
    const dir = join(work, 'spawned');
    const exported = await run(['export', '--from', range.from.toISOString(), '--to', range.to.toISOString(), '--out', dir, '--user', 'jdoe', '--action', 'module.info', '--action', 'module.zip', '--module-version', 'v1.0.10', '--format', 'csv']);
    expect(exported.code).toBe(0);
    expect(exported.stdout).not.toMatch(/\u001b\[|█|░/);
    const manifest = JSON.parse(Buffer.from((await readFile(join(dir, bundleFiles.manifest), 'utf8')).split('.')[1]!, 'base64url').toString()) as { query: { filters: object }; records: { count: number } };
    expect(manifest.query.filters).toEqual({ user: 'jdoe', actions: ['module.info', 'module.zip'], version: 'v1.0.10' });
    // Offset 10 of both partitions: minutes 10 and 20, both jdoe's.
    expect(manifest.records.count).toBe(fixture.records.filter((r) => inTimeRange(r, range.from, range.to) && r.user?.name === 'jdoe' && r.package?.version === 'v1.0.10').length);
    expect(manifest.records.count).toBe(2);
    const jwksFile = join(work, 'spawned-jwks.json');
    await writeFile(jwksFile, JSON.stringify(jwks));
    // An explicit gap (offset 13 of partition 0) fails the check unless gaps are allowed, as in `modtrail verify`.
    const strict = await run(['verify-export', dir, '--jwks', jwksFile]);
    expect(strict.code).toBe(1);
    expect(strict.stdout.match(/^PROBLEM .*/gm)).toEqual([expect.stringMatching(/^PROBLEM offset_gap: .* offsets 13\.\.13 hold nothing/)]);
    const verified = await run(['verify-export', dir, '--jwks', jwksFile, '--allow-gaps']);
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.stdout).toContain('OK: no problem found');
    await writeFile(join(dir, bundleFiles.recordsCsv), (await readFile(join(dir, bundleFiles.recordsCsv), 'utf8')).replace('jdoe', 'jdoe2'));
    const failed = await run(['verify-export', dir, '--jwks', jwksFile, '--allow-gaps']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('PROBLEM csv_mismatch');
    expect((await run(['verify-export', dir, '--jwks', join(work, 'missing.json')])).code).toBe(78);

    // --format ocsf: the OCSF view beside the evidence, each line checked against the mapping of its record.
    const ocsfDir = join(work, 'spawned-ocsf');
    expect((await run(['export', '--from', range.from.toISOString(), '--to', range.to.toISOString(), '--out', ocsfDir, '--format', 'ocsf'])).code).toBe(0);
    const records = (await lines(ocsfDir, bundleFiles.records)).map((l) => JSON.parse(l) as AuditRecord);
    const events = (await lines(ocsfDir, bundleFiles.recordsOcsf)).map((l) => JSON.parse(l) as { class_uid: number; metadata: { uid: string } });
    expect(events.map((e) => e.metadata.uid)).toEqual(records.map((r) => r.event.id));
    expect(events.every((e) => e.class_uid === 6003)).toBe(true);
    expect(await run(['verify-export', ocsfDir, '--jwks', jwksFile, '--allow-gaps'])).toMatchObject({ code: 0 });
    await writeFile(join(ocsfDir, bundleFiles.recordsOcsf), (await readFile(join(ocsfDir, bundleFiles.recordsOcsf), 'utf8')).replace('"asmith"', '"mallory"'));
    const changed = await run(['verify-export', ocsfDir, '--jwks', jwksFile, '--allow-gaps']);
    expect(changed.code).toBe(1);
    expect(changed.stdout).toContain('PROBLEM ocsf_mismatch');
    expect((await run(['export', '--from', range.from.toISOString(), '--to', range.to.toISOString(), '--out', join(work, 'bad-format'), '--format', 'xml'])).code).not.toBe(0);
  });
});
