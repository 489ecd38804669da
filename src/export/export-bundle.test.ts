// An export written from an in-memory store, verified offline, then tampered with in every way an auditor fears.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFixture, fixtureRecord, memorySource, type ExportFixture } from '../../test/integration/export-fixture.js';
import type { AuditRecord } from '../core/record.js';
import { generateSealKeyJwk, parseSealKeys, publicJwks } from '../integrity/keys.js';
import { withHash } from '../integrity/record-hash.js';
import { verifySealJws } from '../integrity/seal.js';
import { bundleFiles } from './bundle-layout.js';
import { runExport, type ExportRequest } from './exporter.js';
import { inTimeRange } from './filters.js';
import { manifestJwsType, signManifest, verifyManifestJws } from './manifest.js';
import { fileDigest } from './bundle-reading.js';
import { toOcsf } from './ocsf.js';
import { verifyBundle } from './verify-bundle.js';

const range = { from: new Date('2026-03-01T10:05:00Z'), to: new Date('2026-03-01T10:25:00Z') };
const exporter = { subject: 'auditor@example.com', issuer: 'https://idp.example.com' };
let fixture: ExportFixture;
let jwks: JSONWebKeySet;
let work: string;

async function exportTo(name: string, request: Partial<ExportRequest> = {}): Promise<string> {
  const dir = join(work, name);
  await runExport({ range, filters: {}, format: 'jsonl', exporter, ...request }, { dir, source: memorySource(fixture), keyring: fixture.keyring, pageSize: 4 });
  return dir;
}

async function tampered(original: string, name: string, change: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(work, name);
  await cp(original, dir, { recursive: true });
  await change(dir);
  return dir;
}

const lines = async (dir: string, file: string) => (await readFile(join(dir, file), 'utf8')).split('\n').filter((l) => l !== '');
const writeLines = (dir: string, file: string, list: string[]) => writeFile(join(dir, file), list.map((l) => `${l}\n`).join(''));
const kinds = async (dir: string) => [...new Set((await verifyBundle(dir, jwks, { allowGaps: true })).problems.map((p) => p.kind))].sort();

beforeAll(async () => {
  fixture = await exportFixture();
  jwks = publicJwks(fixture.keyring) as unknown as JSONWebKeySet;
  work = await mkdtemp(join(tmpdir(), 'modtrail-export-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('an unfiltered export', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await exportTo('full');
  });

  it('holds the range, the seals that cover it whole, and their other records as context', async () => {
    const result = await verifyBundle(dir, jwks, { allowGaps: true });
    const { manifest } = result;
    expect(result.problems).toEqual([]);
    expect(result.manifestVerified).toBe(true);
    const inRange = fixture.records.filter((r) => inTimeRange(r, range.from, range.to));
    expect(manifest!.records.count).toBe(inRange.length);
    expect((await lines(dir, bundleFiles.records)).map((l) => (JSON.parse(l) as AuditRecord).event.id).sort()).toEqual(inRange.map((r) => r.event.id).sort());
    // Partition 0 seals 0..2 and partition 1's one seal all meet 10:05..10:25.
    expect(manifest!.seals.map((s) => `${s.stream.partition}:${s.sequence}`)).toEqual(['0:0', '0:1', '0:2', '1:0']);
    // Offsets 18..20 of partition 0 were stamped 10:18..10:20 but are unsealed: in range, no seal.
    expect(manifest!.records.unsealed).toBe(3);
    expect(result.notices.join('\n')).toContain('3 records are covered by no seal');
    expect(result.notices.join('\n')).toContain('1 offsets are sealed as explicit gaps');
    // Context: partition 0 offsets 0..4 and 25..29, partition 1 offsets 0..2 and 13..14 (minutes 0..4, 26, 28).
    expect(manifest!.records.context).toBe(5 + 5 + 3 + 2);
    expect(manifest!.completeness).toBe('complete');
    expect(manifest!.dead_letters).toBe(1);
    expect(manifest!.exporter).toEqual(exporter);
    expect(manifest!.files.map((f) => f.name)).toEqual([bundleFiles.deadLetters, bundleFiles.jwks, bundleFiles.records, bundleFiles.context, bundleFiles.seals].sort());
  });

  it('fails on an explicit gap unless gaps are allowed', async () => {
    const strict = await verifyBundle(dir, jwks);
    expect(strict.problems).toEqual([expect.objectContaining({ kind: 'offset_gap', explicitGap: true, sequence: 1, offsets: { first: '13', last: '13' } })]);
    expect(strict.notices.join('\n')).not.toContain('explicit gaps');
  });

  it('finds a changed record', async () => {
    const copy = await tampered(dir, 'changed', async (d) => {
      const list = await lines(d, bundleFiles.records);
      const record = JSON.parse(list[2]!) as AuditRecord;
      list[2] = JSON.stringify({ ...record, user: { name: 'someone-else' } });
      await writeLines(d, bundleFiles.records, list);
    });
    const result = await verifyBundle(copy, jwks, { allowGaps: true });
    expect([...new Set(result.problems.map((p) => p.kind))].sort()).toEqual(['file_modified', 'record_modified']);
    expect(result.problems.find((p) => p.kind === 'record_modified')!.line).toBe(3);
  });

  it('finds a deleted line', async () => {
    let removed = '';
    const copy = await tampered(dir, 'deleted', async (d) => {
      const list = await lines(d, bundleFiles.records);
      removed = (JSON.parse(list[4]!) as AuditRecord).event.id;
      list.splice(4, 1);
      await writeLines(d, bundleFiles.records, list);
    });
    const result = await verifyBundle(copy, jwks, { allowGaps: true });
    expect([...new Set(result.problems.map((p) => p.kind))].sort()).toEqual(['file_modified', 'record_deleted']);
    expect(result.problems.find((p) => p.kind === 'record_deleted')!.recordId).toBe(removed);
  });

  it('finds an inserted line: a copy of a record, and a forged one at a sealed offset', async () => {
    const duplicate = await tampered(dir, 'inserted-copy', async (d) => {
      const list = await lines(d, bundleFiles.records);
      await writeLines(d, bundleFiles.records, [...list.slice(0, 3), list[3]!, ...list.slice(3)]);
    });
    expect(await kinds(duplicate)).toEqual(['file_modified', 'record_inserted']);
    const forged = await tampered(dir, 'inserted-forged', async (d) => {
      const list = await lines(d, bundleFiles.records);
      const fake = fixtureRecord({ topic: 'modtrail.proxy', partition: 0 }, 15, 15);
      await writeLines(d, bundleFiles.records, [...list, JSON.stringify({ ...fake, event: { ...fake.event, id: 'f'.repeat(40) } })]);
    });
    expect(await kinds(forged)).toEqual(['file_modified', 'record_inserted']);
    // One that names no origin is never "not yet sealed": no seal could ever account for it.
    const stray = await tampered(dir, 'inserted-stray', async (d) => {
      const list = await lines(d, bundleFiles.records);
      const { modtrail: _origin, ...fake } = fixtureRecord({ topic: 'modtrail.proxy', partition: 0 }, 15, 15);
      await writeLines(d, bundleFiles.records, [...list, JSON.stringify(withHash({ ...fake, event: { ...fake.event, id: 'e'.repeat(40), hash: undefined } }))]);
    });
    const strayResult = await verifyBundle(stray, jwks, { allowGaps: true });
    expect(strayResult.problems.find((p) => p.kind === 'record_inserted')).toMatchObject({ recordId: 'e'.repeat(40), detail: expect.stringContaining('no Kafka origin') });
  });

  it('finds a swapped manifest signature, and refuses a seal as a manifest', async () => {
    const other = await parseSealKeys(JSON.stringify({ ...(await generateSealKeyJwk('export-test-1')) }), { source: 'impostor' });
    const copy = await tampered(dir, 'resigned', async (d) => {
      const original = (await readFile(join(d, bundleFiles.manifest), 'utf8')).trim();
      const verified = await verifyManifestJws(original, jwks);
      if (!verified.ok) throw new Error('fixture manifest does not verify');
      const forged = await signManifest(verified.manifest, other.active);
      await writeFile(join(d, bundleFiles.manifest), `${original.split('.').slice(0, 2).join('.')}.${forged.split('.')[2]}\n`);
    });
    const result = await verifyBundle(copy, jwks, { allowGaps: true });
    expect(await kinds(copy)).toEqual(['manifest_invalid']);
    expect(result.problems[0]!.detail).toContain('bad_signature');

    const seal = await tampered(dir, 'seal-as-manifest', async (d) => writeFile(join(d, bundleFiles.manifest), `${fixture.seals[0]!.jws}\n`));
    const asSeal = await verifyBundle(seal, jwks, { allowGaps: true });
    expect(asSeal.problems.map((p) => p.kind)).toEqual(['manifest_invalid']);
    expect(asSeal.problems[0]!.detail).toContain(manifestJwsType);
    const manifestJws = (await readFile(join(dir, bundleFiles.manifest), 'utf8')).trim();
    expect(await verifySealJws(manifestJws, jwks)).toMatchObject({ ok: false, failure: 'malformed' });
  });

  it('refuses a signed manifest that claims completeness for a filtered export', async () => {
    const copy = await tampered(dir, 'overclaim', async (d) => {
      const verified = await verifyManifestJws((await readFile(join(d, bundleFiles.manifest), 'utf8')).trim(), jwks);
      if (!verified.ok) throw new Error('fixture manifest does not verify');
      const { manifest } = verified;
      await writeFile(join(d, bundleFiles.manifest), `${await signManifest({ ...manifest, query: { ...manifest.query, filters: { user: 'jdoe' } } }, fixture.keyring.active)}\n`);
    });
    const result = await verifyBundle(copy, jwks, { allowGaps: true });
    expect(result.problems.filter((p) => p.kind === 'manifest_invalid').map((p) => p.detail)).toEqual(['the manifest claims completeness "complete" for a filtered export']);
  });

  it('finds a file changed after signing', async () => {
    const copy = await tampered(dir, 'jwks-changed', async (d) => {
      const extra = await generateSealKeyJwk('smuggled');
      const keys = JSON.parse(await readFile(join(d, bundleFiles.jwks), 'utf8')) as { keys: unknown[] };
      await writeFile(join(d, bundleFiles.jwks), JSON.stringify({ keys: [...keys.keys, { ...extra, d: undefined }] }));
    });
    const result = await verifyBundle(copy, jwks, { allowGaps: true });
    expect(result.problems.map((p) => [p.kind, p.file])).toEqual([['file_modified', bundleFiles.jwks]]);
    const added = await tampered(dir, 'file-added', (d) => writeFile(join(d, 'notes.txt'), 'x'));
    expect(await kinds(added)).toEqual(['file_unexpected']);
  });

  it('finds a dropped seal: in the middle (the chain breaks) and at the end (the manifest lists it)', async () => {
    const middle = await tampered(dir, 'seal-dropped', async (d) => {
      const list = await lines(d, bundleFiles.seals);
      await writeLines(d, bundleFiles.seals, list.filter((_, i) => i !== 1));
    });
    const result = await verifyBundle(middle, jwks, { allowGaps: true });
    expect([...new Set(result.problems.map((p) => p.kind))].sort()).toEqual(['chain_broken', 'file_modified', 'seal_missing']);
    expect(result.problems.find((p) => p.kind === 'seal_missing')).toMatchObject({ sequence: 1, stream: { partition: 0 } });
    const last = await tampered(dir, 'seal-dropped-last', async (d) => {
      const list = await lines(d, bundleFiles.seals);
      await writeLines(d, bundleFiles.seals, list.slice(0, -1));
    });
    expect(await kinds(last)).toEqual(['file_modified', 'seal_missing']);
  });

  it('finds a seal whose signature was broken', async () => {
    const copy = await tampered(dir, 'seal-signature', async (d) => {
      const list = await lines(d, bundleFiles.seals);
      const [header, payload, signature] = list[2]!.split('.');
      list[2] = `${header}.${payload}.${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`;
      await writeLines(d, bundleFiles.seals, list);
    });
    const result = await verifyBundle(copy, jwks, { allowGaps: true });
    expect([...new Set(result.problems.map((p) => p.kind))].sort()).toEqual(['bad_signature', 'file_modified', 'seal_missing']);
    expect(result.problems.find((p) => p.kind === 'bad_signature')).toMatchObject({ sealIndex: 2, sequence: 2, stream: { partition: 0 } });
  });

  it('finds a changed dead letter and a record moved out of its range', async () => {
    const letter = await tampered(dir, 'dead-letter', async (d) => {
      const [line] = await lines(d, bundleFiles.deadLetters);
      await writeLines(d, bundleFiles.deadLetters, [JSON.stringify({ ...JSON.parse(line!), reason: 'nothing to see' })]);
    });
    expect(await kinds(letter)).toEqual(['file_modified', 'record_modified']);
    const moved = await tampered(dir, 'moved', async (d) => {
      const context = await lines(d, bundleFiles.context);
      const records = await lines(d, bundleFiles.records);
      await writeLines(d, bundleFiles.context, context.slice(1));
      await writeLines(d, bundleFiles.records, [context[0]!, ...records]);
    });
    expect(await kinds(moved)).toEqual(['file_modified', 'record_out_of_range']);
  });
});

describe('a filtered export', () => {
  it('proves inclusion, says it cannot prove completeness, and finds a record that does not pass the filters', async () => {
    const dir = await exportTo('filtered', { filters: { user: 'jdoe' } });
    const result = await verifyBundle(dir, jwks, { allowGaps: true });
    expect(result.problems).toEqual([]);
    expect(result.manifest!.completeness).toBe('inclusion');
    expect(result.manifest!.records.context).toBe(0);
    const jdoe = fixture.records.filter((r) => inTimeRange(r, range.from, range.to) && r.user?.name === 'jdoe');
    expect(result.manifest!.records.count).toBe(jdoe.length);
    expect(result.notices.join('\n')).toMatch(/inclusion only.*completeness cannot be proven/);

    const copy = await tampered(dir, 'filtered-other-user', async (d) => {
      const other = fixture.records.find((r) => inTimeRange(r, range.from, range.to) && r.user?.name === 'asmith')!;
      await writeLines(d, bundleFiles.records, [...(await lines(d, bundleFiles.records)), JSON.stringify(other)]);
    });
    expect(await kinds(copy)).toEqual(['file_modified', 'record_filter_mismatch']);
  });
});

describe('a csv export', () => {
  it('writes the CSV view beside the JSON lines evidence and finds a changed cell', async () => {
    const dir = await exportTo('csv', { format: 'csv' });
    const result = await verifyBundle(dir, jwks, { allowGaps: true });
    expect(result.problems).toEqual([]);
    const csv = await readFile(join(dir, bundleFiles.recordsCsv), 'utf8');
    expect(csv.split('\r\n').filter((l) => l !== '')).toHaveLength(result.manifest!.records.count + 1);
    const copy = await tampered(dir, 'csv-cell', async (d) => writeFile(join(d, bundleFiles.recordsCsv), csv.replace(',jdoe,', ',mallory,')));
    const tamperedResult = await verifyBundle(copy, jwks, { allowGaps: true });
    expect([...new Set(tamperedResult.problems.map((p) => p.kind))].sort()).toEqual(['csv_mismatch', 'file_modified']);
    expect(tamperedResult.problems.find((p) => p.kind === 'csv_mismatch')!.line).toBe(csv.split('\r\n').findIndex((l) => l.includes(',jdoe,')) + 1);
  });

  it('writes the OCSF view beside the JSON lines evidence, each line the mapping of its record, and finds a changed event even under a re-signed manifest', async () => {
    const dir = await exportTo('ocsf', { format: 'ocsf' });
    const result = await verifyBundle(dir, jwks, { allowGaps: true });
    expect(result.problems).toEqual([]);
    const manifest = result.manifest!;
    expect(manifest.query.format).toBe('ocsf');
    expect(manifest.files.map((f) => f.name)).toContain(bundleFiles.recordsOcsf);
    const records = (await lines(dir, bundleFiles.records)).map((l) => JSON.parse(l) as AuditRecord);
    const events = (await lines(dir, bundleFiles.recordsOcsf)).map((l) => JSON.parse(l) as { class_uid: number; metadata: { uid: string; product: { version?: string } } });
    expect(events).toHaveLength(manifest.records.count);
    // Line for line, the mapping's event of the record on the same line of records.jsonl (proxy downloads: API Activity).
    expect(events).toEqual(records.map((record) => JSON.parse(JSON.stringify(toOcsf(record, { productVersion: manifest.modtrail_version })))));
    expect(new Set(events.map((e) => e.class_uid))).toEqual(new Set([6003]));
    expect(events.map((e) => e.metadata.uid)).toEqual(records.map((r) => r.event.id));

    // Someone edits an event and re-signs the manifest with the exporter's key: the digests agree, the mapping does not.
    const ocsfText = await readFile(join(dir, bundleFiles.recordsOcsf), 'utf8');
    const at = ocsfText.split('\n').findIndex((l) => l.includes('"jdoe"'));
    expect(at).toBeGreaterThanOrEqual(0);
    const copy = await tampered(dir, 'ocsf-event', async (d) => {
      const changed = ocsfText.split('\n').map((l, i) => (i === at ? l.replace('"jdoe"', '"mallory"') : l)).join('\n');
      await writeFile(join(d, bundleFiles.recordsOcsf), changed);
      const digest = await fileDigest(join(d, bundleFiles.recordsOcsf));
      const files = manifest.files.map((f) => (f.name === bundleFiles.recordsOcsf ? { ...f, ...digest } : f));
      await writeFile(join(d, bundleFiles.manifest), `${await signManifest({ ...manifest, files }, fixture.keyring.active)}\n`);
    });
    const tamperedResult = await verifyBundle(copy, jwks, { allowGaps: true });
    expect(tamperedResult.problems.map((p) => p.kind)).toEqual(['ocsf_mismatch']);
    expect(tamperedResult.problems[0]!.line).toBe(at + 1);
    // A line too many is found as well.
    const longer = await tampered(dir, 'ocsf-extra', async (d) => writeFile(join(d, bundleFiles.recordsOcsf), `${ocsfText}${ocsfText.split('\n')[0]}\n`));
    expect(await kinds(longer)).toEqual(['file_modified', 'ocsf_mismatch']);
  });

  it('refuses to write into a directory that is not empty', async () => {
    const dir = join(work, 'busy');
    await exportTo('busy');
    await expect(runExport({ range, filters: {}, format: 'jsonl', exporter }, { dir, source: memorySource(fixture), keyring: fixture.keyring })).rejects.toThrow(/not empty/);
  });
});
