import { cpSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ecsVersion, type AuditRecord } from '../../core/record.js';
import { createLogger } from '../../telemetry/logger.js';
import { PolicyReloader, type ReloadResult } from './policy-reloader.js';

const record: AuditRecord = {
  '@timestamp': '2026-11-24T08:00:00.000Z',
  ecs: { version: ecsVersion },
  event: { id: 'a'.repeat(40), kind: 'event', category: ['web'], type: ['access'], action: 'module.zip', outcome: 'success', dataset: 'athens.access', ingested: '2026-11-24T08:00:01.000Z', original: 'raw' },
  observer: { product: 'athens', type: 'proxy' },
  package: { name: 'github.com/newly/approved', version: 'v1.0.0', type: 'golang' },
};

let reloader: PolicyReloader | undefined;
afterEach(async () => {
  await reloader?.stop();
  reloader = undefined;
});

/** A private copy of the shipped bundle and data that the test can change on disk. */
function policyCopy(): { bundleDir: string; dataFile: string } {
  const dir = mkdtempSync(join(tmpdir(), 'modtrail-policy-'));
  cpSync('policies/bundle', join(dir, 'bundle'), { recursive: true });
  cpSync('policies/data/default.json', join(dir, 'data.json'));
  return { bundleDir: join(dir, 'bundle'), dataFile: join(dir, 'data.json') };
}

/** Replaces a file the way deploys do: write aside, then rename over it. */
function replaceFile(path: string, content: string | Buffer): void {
  writeFileSync(`${path}.new`, content);
  renameSync(`${path}.new`, path);
}

function nextReload(results: ReloadResult[], count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    const poll = setInterval(() => {
      if (results.length >= count) resolve(clearInterval(poll));
      else if (Date.now() > deadline) reject(new Error(`no reload after 10 s (${results.length} seen)`));
    }, 20);
  });
}

describe('PolicyReloader', () => {
  it('picks up new data without a restart, refuses bad data and keeps judging with the old', async () => {
    const source = policyCopy();
    const results: ReloadResult[] = [];
    reloader = new PolicyReloader(source, createLogger('silent'), { watch: true, debounceMs: 50, onReload: (r) => results.push(r) });
    await reloader.start();
    expect((await reloader.evaluate([record]))[0]!.ids).toEqual(['module.not_allowlisted']);

    const data = JSON.parse(readFileSync(source.dataFile, 'utf8')) as { allowed_modules: string[] };
    data.allowed_modules.push('github.com/newly');
    replaceFile(source.dataFile, JSON.stringify(data));
    await nextReload(results, 1);
    expect(results[0]!.ok).toBe(true);
    expect((await reloader.evaluate([record]))[0]!.ids).toEqual([]);

    replaceFile(source.dataFile, JSON.stringify({ ...data, allowed_modules: 'everything' }));
    await nextReload(results, 2);
    expect(results[1]).toMatchObject({ ok: false, error: expect.stringContaining('allowed_modules') });
    expect((await reloader.evaluate([record]))[0]!.ids).toEqual([]);
  });

  it('swaps in a new bundle and stamps its revision on every decision after the swap', async () => {
    const source = policyCopy();
    const results: ReloadResult[] = [];
    reloader = new PolicyReloader(source, createLogger('silent'), { watch: true, debounceMs: 50, onReload: (r) => results.push(r) });
    await reloader.start();
    const before = reloader.revision!;
    expect((await reloader.evaluate([record]))[0]!.revision).toBe(before);

    const manifestPath = join(source.bundleDir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { revision: string };
    replaceFile(manifestPath, JSON.stringify({ ...manifest, revision: 'sha256-000000000001' }));
    await nextReload(results, 1);
    expect(reloader.revision).toBe('sha256-000000000001');
    expect((await reloader.evaluate([record]))[0]!.revision).toBe('sha256-000000000001');

    replaceFile(join(source.bundleDir, 'policy.wasm'), Buffer.from('not webassembly'));
    await nextReload(results, 2);
    expect(results[1]!.ok).toBe(false);
    expect((await reloader.evaluate([record]))[0]!.revision).toBe('sha256-000000000001');
  });

  it('reloads on request, as an admin endpoint will', async () => {
    reloader = new PolicyReloader(policyCopy(), createLogger('silent'), { watch: false, debounceMs: 50 });
    await reloader.start();
    const result = await reloader.reload();
    expect(result).toEqual({ ok: true, revision: reloader.revision });
  });
});
