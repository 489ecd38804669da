import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ModtrailError } from '../../core/errors.js';
import type { AuditRecord } from '../../core/record.js';
import { OpaEvaluator } from './opa-evaluator.js';

// The real compiled bundle and data the service ships, not a mock.
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const bundleDir = join(repo, 'policies', 'bundle');
const dataFile = join(repo, 'policies', 'data', 'default.json');

function proxyRecord(action: string, modulePath: string | undefined, n = 0): AuditRecord {
  const version = `v1.${n % 20}.0`;
  const path = modulePath ? `/${modulePath}/@v/${version}.zip` : '/bad/path';
  return {
    '@timestamp': '2025-11-24T10:00:00.000Z',
    ecs: { version: '8.17.0' },
    event: {
      id: `evt-${n}`,
      kind: 'event',
      category: ['package', 'web'],
      type: ['access'],
      action,
      outcome: 'success',
      dataset: 'athens.access',
      ingested: '2025-11-24T10:00:01.000Z',
      original: `GET ${path} 200`,
    },
    observer: { product: 'athens', type: 'proxy', name: 'athens-1' },
    source: { ip: '10.0.0.7' },
    http: { request: { method: 'GET' }, response: { status_code: 200 } },
    url: { path },
    ...(modulePath ? { package: { name: modulePath, version, type: 'golang' as const } } : {}),
  };
}

const notAllowlisted = {
  ids: ['module.not_allowlisted'],
  names: ['Module outside the allowlist'],
  severity: 3,
  riskScore: 47,
  alert: true,
};
const nothing = { ids: [], names: [], severity: 1, riskScore: 0, alert: false };

async function expectRefusal(evaluator: OpaEvaluator, code: string, message: RegExp): Promise<void> {
  const error: unknown = await evaluator.start().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ModtrailError);
  expect((error as ModtrailError).code).toBe(code);
  expect((error as ModtrailError).message).toMatch(message);
}

describe('OpaEvaluator with the compiled bundle', () => {
  const evaluator = new OpaEvaluator({ bundleDir, dataFile });
  let revision: string;

  beforeAll(async () => {
    revision = (JSON.parse(await readFile(join(bundleDir, 'manifest.json'), 'utf8')) as { revision: string }).revision;
    await evaluator.start();
  });
  afterAll(() => evaluator.stop());

  it('records the bundle revision from the manifest', () => {
    expect(revision).toMatch(/^sha256-[0-9a-f]{12}$/);
    expect(evaluator.revision).toBe(revision);
  });

  it('judges allowlisted and non-allowlisted modules in one batch, in order', async () => {
    const decisions = await evaluator.evaluate([
      proxyRecord('module.zip', 'golang.org/x/text'),
      proxyRecord('module.zip', 'github.com/evil-corp/backdoor'),
      proxyRecord('module.info', 'git.corp.example.com/team/svc'),
      proxyRecord('module.mod', 'github.com/acmecorp/lookalike'),
      proxyRecord('sumdb.lookup', 'github.com/acme-corp/billing/v2'),
      proxyRecord('sumdb.lookup', 'example.org/unknown'),
    ]);
    expect(decisions).toEqual([
      { ...nothing, revision },
      { ...notAllowlisted, revision },
      { ...nothing, revision },
      { ...notAllowlisted, revision },
      { ...nothing, revision },
      { ...notAllowlisted, revision },
    ]);
  });

  it('never alerts on actions that are not fetches', async () => {
    const decisions = await evaluator.evaluate([
      proxyRecord('module.list', 'github.com/evil-corp/backdoor'),
      proxyRecord('module.latest', 'github.com/evil-corp/backdoor'),
      proxyRecord('module.zip', undefined),
    ]);
    expect(decisions).toEqual([nothing, nothing, nothing].map((d) => ({ ...d, revision })));
  });

  it('returns 2,000 decisions aligned with 2,000 records', async () => {
    const records = Array.from({ length: 2000 }, (_, i) =>
      i % 3 === 0 ? proxyRecord('module.zip', `github.com/stranger${i}/lib`, i) : proxyRecord('module.mod', 'golang.org/x/mod', i),
    );
    const decisions = await evaluator.evaluate(records);
    expect(decisions).toHaveLength(2000);
    decisions.forEach((decision, i) => expect(decision.alert, `record ${i}`).toBe(i % 3 === 0));
  });

  it('keeps alignment across chunk boundaries', async () => {
    const small = new OpaEvaluator({ bundleDir, dataFile, chunkSize: 3 });
    await small.start();
    const records = Array.from({ length: 11 }, (_, i) =>
      proxyRecord('module.zip', i % 2 === 0 ? `github.com/stranger${i}/lib` : 'gopkg.in/yaml.v3', i),
    );
    const decisions = await small.evaluate(records);
    expect(decisions.map((d) => d.alert)).toEqual(records.map((_, i) => i % 2 === 0));
    await small.stop();
  });

  it('gives the same verdicts from its cache as without one, each record its own copy', async () => {
    const uncached = new OpaEvaluator({ bundleDir, dataFile, cacheSize: 0 });
    await uncached.start();
    const records = Array.from({ length: 60 }, (_, i) =>
      proxyRecord('module.zip', i % 4 === 0 ? `github.com/stranger${i % 8}/lib` : 'golang.org/x/mod', i % 5),
    );
    const expected = await uncached.evaluate(records);
    // Records 0 and 40 have the same judged view, so they share one verdict inside the evaluator.
    expect(JSON.stringify(records[0]!.package)).toBe(JSON.stringify(records[40]!.package));
    for (const cacheSize of [2, 1000]) {
      const cached = new OpaEvaluator({ bundleDir, dataFile, cacheSize });
      await cached.start();
      // Three passes: the first fills the cache, the later ones are answered from it (a size of 2 turns it over).
      for (let pass = 0; pass < 3; pass++) {
        const batches = [records.slice(0, 7), records.slice(7, 31), records.slice(31)];
        const decisions = (await Promise.all(batches.map((batch) => cached.evaluate(batch)))).flat();
        expect(decisions, `cache ${cacheSize}, pass ${pass}`).toEqual(expected);
        // Records judged alike share a verdict, frozen: changing it through one record fails, and the other keeps it.
        expect(() => decisions[0]!.ids.push('tampered')).toThrow(TypeError);
        expect(() => {
          decisions[0]!.severity = 99;
        }).toThrow(TypeError);
        expect(decisions[40], `cache ${cacheSize}, pass ${pass}`).toEqual(expected[40]);
      }
      await cached.stop();
    }
    await uncached.stop();
  });

  it('returns no decisions for an empty batch', async () => {
    await expect(evaluator.evaluate([])).resolves.toEqual([]);
  });
});

describe('OpaEvaluator lifecycle and refusals', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'modtrail-opa-'));
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));
  afterEach(async () => {
    await rm(join(scratch, 'bundle'), { recursive: true, force: true });
  });

  it('refuses to evaluate before start and after stop; stop is idempotent', async () => {
    const evaluator = new OpaEvaluator({ bundleDir, dataFile });
    await expect(evaluator.evaluate([])).rejects.toMatchObject({ code: 'policy.evaluation_failed' });
    await evaluator.start();
    await evaluator.stop();
    await evaluator.stop();
    await expect(evaluator.evaluate([proxyRecord('module.zip', 'golang.org/x/text')])).rejects.toMatchObject({
      code: 'policy.evaluation_failed',
    });
  });

  it('reads the data at start, so a different allowlist changes decisions without recompiling', async () => {
    const custom = join(scratch, 'custom.json');
    const data = JSON.parse(await readFile(dataFile, 'utf8')) as Record<string, unknown>;
    await writeFile(custom, JSON.stringify({ ...data, allowed_modules: ['github.com/evil-corp'] }));
    const evaluator = new OpaEvaluator({ bundleDir, dataFile: custom });
    await evaluator.start();
    const decisions = await evaluator.evaluate([
      proxyRecord('module.zip', 'github.com/evil-corp/backdoor'),
      proxyRecord('module.zip', 'golang.org/x/text'),
    ]);
    expect(decisions.map((d) => d.alert)).toEqual([false, true]);
    await evaluator.stop();
  });

  it('refuses a missing bundle, naming the file and how to build it', async () => {
    const evaluator = new OpaEvaluator({ bundleDir: join(scratch, 'no-such-bundle'), dataFile });
    await expectRefusal(evaluator, 'policy.load_failed', /no-such-bundle\/manifest\.json.*npm run build:policies/);
  });

  it('refuses a bundle whose policy.wasm is not a WASM module', async () => {
    const dir = join(scratch, 'bundle');
    await mkdir(dir);
    await copyFile(join(bundleDir, 'manifest.json'), join(dir, 'manifest.json'));
    await writeFile(join(dir, 'policy.wasm'), 'not wasm');
    await expectRefusal(new OpaEvaluator({ bundleDir: dir, dataFile }), 'policy.load_failed', /policy\.wasm is not a usable OPA module/);
  });

  it('refuses a manifest that does not list the decisions entrypoint', async () => {
    const dir = join(scratch, 'bundle');
    await mkdir(dir);
    const manifest = JSON.parse(await readFile(join(bundleDir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, entrypoints: ['other/rule'] }));
    await copyFile(join(bundleDir, 'policy.wasm'), join(dir, 'policy.wasm'));
    await expectRefusal(new OpaEvaluator({ bundleDir: dir, dataFile }), 'policy.load_failed', /does not list modtrail\/decisions/);
  });

  it('refuses an invalid data file, naming the key', async () => {
    const bad = join(scratch, 'bad.json');
    const data = JSON.parse(await readFile(dataFile, 'utf8')) as Record<string, unknown>;
    await writeFile(bad, JSON.stringify({ ...data, allowed_modules: ['golang.org/x', 'github.com/acme-corp', ''] }));
    await expectRefusal(
      new OpaEvaluator({ bundleDir, dataFile: bad }),
      'policy.data_invalid',
      /^policy data: allowed_modules\[2\] must be a non-empty string$/,
    );
  });

  it('refuses a missing data file', async () => {
    await expectRefusal(new OpaEvaluator({ bundleDir, dataFile: join(scratch, 'absent.json') }), 'policy.load_failed', /absent\.json/);
  });

  it('rejects a chunk size that is not a positive integer', () => {
    expect(() => new OpaEvaluator({ bundleDir, dataFile, chunkSize: 0 })).toThrow(RangeError);
  });
});
