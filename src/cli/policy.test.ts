import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../core/record.js';
import { normalize } from './normalize.js';
import { policyEval } from './policy-eval.js';
import { policyTest } from './policy-test.js';

const source = { bundleDir: 'policies/bundle', dataFile: 'policies/data/default.json' };

function collect(stream: PassThrough): () => string {
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return () => text;
}

describe('modtrail policy eval', () => {
  it('attaches the decision to each record that modtrail normalize wrote, and reports lines that are not records', async () => {
    const normalized = new PassThrough();
    const normalizedText = collect(normalized);
    await normalize(
      { format: 'athens', time: new Date('2026-11-24T12:00:00Z') },
      Readable.from([
        'INFO[7:39AM]: incoming request\thttp-method=GET http-path=/github.com/unvetted-org/lib/@v/v1.2.3.zip http-status=200 request-id=a\n' +
          'INFO[7:40AM]: incoming request\thttp-method=GET http-path=/golang.org/x/text/@v/v0.14.0.zip http-status=200 request-id=b',
      ]),
      normalized,
      new PassThrough(),
    );
    const output = new PassThrough();
    const errors = new PassThrough();
    const out = collect(output);
    const err = collect(errors);
    const code = await policyEval(source, Readable.from([`${normalizedText()}{"not":"a record"}\n`]), output, errors);
    const records = out().trim().split('\n').map((line) => JSON.parse(line) as AuditRecord);
    expect(records.map((r) => r.rule?.id)).toEqual([['module.not_allowlisted'], []]);
    expect(records[0]!.modtrail?.alert).toBe(true);
    expect(code).toBe(2);
    expect(JSON.parse(err().trim())).toMatchObject({ line: 3, reason: expect.stringContaining('not an audit record') });
  });
});

describe('modtrail policy test', () => {
  it('passes the shipped fixtures', async () => {
    const output = new PassThrough();
    const text = collect(output);
    expect(await policyTest(source, 'policies/fixtures', output)).toBe(0);
    expect(text()).toMatch(/^\d+ passed, 0 failed$/m);
  });

  it('fails, naming the fixture, when a decision differs from the expectation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'modtrail-fixtures-'));
    writeFileSync(
      join(dir, 'wrong.json'),
      JSON.stringify([{ name: 'expects nothing from an unlisted module', record: { package: { name: 'github.com/evil-corp/x', version: 'v1.0.0', type: 'golang' } }, expected: [] }]),
    );
    const output = new PassThrough();
    const text = collect(output);
    expect(await policyTest(source, dir, output)).toBe(1);
    expect(text()).toContain('FAIL wrong.json: expects nothing from an unlisted module');
    expect(text()).toContain('got      [module.not_allowlisted]');
  });
});
