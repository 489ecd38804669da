// An export of everything at the scale: 100,000 realistic proxy records (Athens lines through the real
// parser, hashed), stored through the real store code in the real OpenSearch on two partitions, sealed every 10,000
// offsets as the sealer does; exported unfiltered and verified offline clean, then a copy missing one record fails.
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@opensearch-project/opensearch';
import type { JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AuditRecord } from '../../src/core/record.js';
import { bundleFiles } from '../../src/export/bundle-layout.js';
import { runExport } from '../../src/export/exporter.js';
import { openSearchExportSource } from '../../src/export/opensearch-export-source.js';
import { verifyBundle } from '../../src/export/verify-bundle.js';
import { generateSealKeyJwk, parseSealKeys, publicJwks, type SealKeyring } from '../../src/integrity/keys.js';
import { withHash } from '../../src/integrity/record-hash.js';
import { buildSeal, signSealHashed } from '../../src/integrity/seal.js';
import { createNormalizer } from '../../src/normalize/normalizer.js';
import { parsers } from '../../src/pipeline/registry.js';
import { OpenSearchSink } from '../../src/sinks/opensearch/opensearch-sink.js';
import { createOpenSearchClient } from '../../src/store/opensearch/client.js';
import { dailyIndex } from '../../src/store/opensearch/index-names.js';
import { OpenSearchSealStore } from '../../src/store/opensearch/seal-store.js';
import { removeTestData } from '../support/cleanup.js';
import { randomInt, randomItem, seededRandom } from '../support/seeded-random.js';

const run = randomUUID().slice(0, 8);
const indexPrefix = `export-100k-${run}`;
const topic = `export-100k-${run}`;
const total = 100_000;
const sealEvery = 10_000;
const start = Date.UTC(2026, 9, 1, 0, 0, 0);
const range = { from: new Date(start), to: new Date(start + 86_400_000) };
const opensearch = new Client({ node: inject('opensearchUrl') });
const storeClient = createOpenSearchClient({ node: inject('opensearchUrl'), indexPrefix, requestTimeoutMs: 60_000 });
const modules = ['golang.org/x/crypto', 'golang.org/x/net', 'golang.org/x/text', 'github.com/acme-corp/billing/v2', 'github.com/spf13/cobra', 'gopkg.in/yaml.v3', 'github.com/unvetted-org/lib'];
const versions = ['v0.14.0', 'v0.17.0', 'v1.9.3', 'v2.1.0', 'v0.0.0-20240101120000-abcdef123456'];
const suffixes = ['info', 'mod', 'zip'];
let keyring: SealKeyring;
let work: string;

/** One Athens access line, as the proxy logs it; a few are 404s. */
function athensLine(random: () => number, i: number, time: Date): string {
  return JSON.stringify({
    time: time.toISOString(),
    level: 'info',
    msg: 'incoming request',
    'http-method': 'GET',
    'http-path': `/${randomItem(random, modules)}/@v/${randomItem(random, versions)}.${randomItem(random, suffixes)}`,
    'http-status': random() < 0.04 ? 404 : 200,
    'request-id': `req-${run}-${i}`,
    'remote-addr': `10.${randomInt(random, 0, 20)}.${randomInt(random, 0, 255)}.${randomInt(random, 1, 254)}`,
  });
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'modtrail-export-100k-'));
  keyring = await parseSealKeys(JSON.stringify(await generateSealKeyJwk('export-100k')), { source: 'test key' });
  const sink = new OpenSearchSink(storeClient, indexPrefix);
  await sink.start();
  // Loading only: no periodic refresh and no fsync per request on this throwaway index (its template gives mappings).
  // Nothing refreshes it afterwards either: the exporter must make what was stored before it started searchable.
  await opensearch.indices.create({ index: dailyIndex(indexPrefix, 'audit', range.from.toISOString()), body: { settings: { refresh_interval: '-1', 'translog.durability': 'async' } } });
  const seals = new OpenSearchSealStore(storeClient, indexPrefix);
  const normalize = createNormalizer(parsers, { [topic]: 'athens' });
  const random = seededRandom(7);
  // Two partitions, as a topic has them: even lines on 0, odd on 1; each partition sealed every 10,000 offsets.
  for (const partition of [0, 1]) {
    let previous: string | null = null;
    const perPartition = total / 2;
    for (let first = 0, sequence = 0; first < perPartition; first += sealEvery, sequence++) {
      const records: AuditRecord[] = [];
      for (let offset = first; offset < first + sealEvery; offset++) {
        const time = new Date(start + (offset * 2 + partition) * 800);
        const origin = { topic, partition, offset: String(offset) };
        const result = normalize({ value: Buffer.from(athensLine(random, offset * 2 + partition, time)), headers: {}, origin, receivedAt: time }, new Date(time.getTime() + 250));
        if (!result.ok) throw new Error(result.rejection.reason);
        records.push(withHash(result.record));
      }
      // Two bulk requests in flight, as the service's batches overlap; each settled before the seal is written.
      const halves = [records.slice(0, sealEvery / 2), records.slice(sealEvery / 2)];
      const settled = (await Promise.all(halves.map((half) => sink.write(half)))).flat();
      expect(settled.every((s) => s.status === 'delivered')).toBe(true);
      const seal = buildSeal({ stream: { topic, partition }, sequence, previous, offsets: { first: String(first), last: String(first + sealEvery - 1) }, items: records.map((record) => ({ kind: 'record', record })), sealedAt: new Date(range.to) });
      const { jws, hash } = await signSealHashed(seal, keyring.active);
      await seals.create({ seal, jws, hash, kid: keyring.active.kid, alg: keyring.active.alg });
      previous = hash;
    }
  }
}, 240_000);

afterAll(async () => {
  await removeTestData({ opensearch, indexPrefix });
  await opensearch.close();
  await storeClient.close();
  await rm(work, { recursive: true, force: true });
});

describe('an export of 100,000 records', () => {
  it('exports everything and verifies offline clean; a copy missing one record fails', async () => {
    const dir = join(work, 'bundle');
    const started = performance.now();
    const { manifest } = await runExport(
      { range, filters: {}, format: 'jsonl', exporter: { subject: 'auditor@corp', issuer: 'https://idp.example' } },
      { dir, source: openSearchExportSource(storeClient, indexPrefix), keyring, pageSize: 1000 },
    );
    const exportSeconds = (performance.now() - started) / 1000;
    expect(manifest.records).toEqual({ count: total, unsealed: 0, context: 0 });
    expect(manifest.completeness).toBe('complete');
    expect(manifest.seals).toHaveLength(total / sealEvery);

    const jwks = publicJwks(keyring) as unknown as JSONWebKeySet;
    const verifyStarted = performance.now();
    const result = await verifyBundle(dir, jwks);
    const verifySeconds = (performance.now() - verifyStarted) / 1000;
    expect(result.problems).toEqual([]);
    expect(result.manifestVerified).toBe(true);
    expect(result.checked).toMatchObject({ records: total, sealedRecords: total, seals: total / sealEvery });
    console.log(`export of ${total} records: ${exportSeconds.toFixed(1)} s; verify-export: ${verifySeconds.toFixed(1)} s`);

    // The same bundle with one record left out (and the manifest's digest then wrong): both are found.
    const copy = join(work, 'missing-one');
    await cp(dir, copy, { recursive: true });
    const lines = (await readFile(join(copy, bundleFiles.records), 'utf8')).split('\n');
    const removed = JSON.parse(lines[54_321]!) as AuditRecord;
    lines.splice(54_321, 1);
    await writeFile(join(copy, bundleFiles.records), lines.join('\n'));
    const tampered = await verifyBundle(copy, jwks);
    expect(tampered.problems.map((p) => p.kind).sort()).toEqual(['file_modified', 'record_deleted']);
    expect(tampered.problems.find((p) => p.kind === 'record_deleted')!.recordId).toBe(removed.event.id);
  }, 180_000);
});
