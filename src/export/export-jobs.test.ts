import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFixture, memorySource, type ExportFixture } from '../../test/integration/export-fixture.js';
import { ExportJobs } from './export-jobs.js';
import type { ExportSource } from './export-source.js';

let fixture: ExportFixture;
let dir: string;
const request = { range: { from: new Date('2026-03-01T10:05:00Z'), to: new Date('2026-03-01T10:25:00Z') }, filters: {}, format: 'jsonl' as const, exporter: { subject: 'alice', issuer: 'idp' } };
const jobs = (source: ExportSource) => new ExportJobs({ dir, source, keyring: async () => fixture.keyring, pageSize: 5, maxRunning: 2 });

async function settled(list: ExportJobs, id: string) {
  for (let i = 0; i < 200; i++) {
    const status = await list.get(id);
    if (status?.state !== 'running') return status!;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('never settled');
}

beforeAll(async () => {
  fixture = await exportFixture();
  dir = await mkdtemp(join(tmpdir(), 'modtrail-jobs-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('export jobs', () => {
  it('are found again from job.json by a new instance (a restart); one that was running reads as interrupted', async () => {
    const first = jobs(memorySource(fixture));
    const { id } = await first.start(request);
    const done = await settled(first, id);
    expect(done).toMatchObject({ state: 'done', records: expect.any(Number), requestedBy: { subject: 'alice', issuer: 'idp' } });
    const again = jobs(memorySource(fixture));
    expect(await again.get(id)).toEqual(done);
    expect(again.bundleFile(id, 'manifest.jws')).toBe(join(dir, id, 'bundle', 'manifest.jws'));
    expect(again.bundleFile(id, '../job.json')).toBeUndefined();
    expect(await again.get('../../etc')).toBeUndefined();

    const path = join(dir, id, 'job.json');
    await writeFile(path, JSON.stringify({ ...JSON.parse(await readFile(path, 'utf8')), state: 'running' }));
    expect(await again.get(id)).toMatchObject({ state: 'failed', error: expect.stringContaining('interrupted') });
  });

  it('record a failure and remove the partial bundle', async () => {
    const memory = memorySource(fixture);
    const broken: ExportSource = {
      ...memory,
      records: {
        ...memory.records,
        async *scan() {
          throw new Error('the store went away');
        },
      },
    };
    const list = jobs(broken);
    const { id } = await list.start(request);
    const status = await settled(list, id);
    expect(status).toMatchObject({ state: 'failed', error: 'the export failed; the error is logged' });
    expect(status.finishedAt).toBeDefined();
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(join(dir, id, 'bundle'))).toEqual([]);
  });
});
