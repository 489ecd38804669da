import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../core/record.js';
import { normalize } from './normalize.js';

async function runNormalize(lines: string[], format: Parameters<typeof normalize>[0]['format'], time?: Date) {
  const output = new PassThrough();
  const errors = new PassThrough();
  let out = '';
  let err = '';
  output.on('data', (chunk: Buffer) => (out += chunk.toString()));
  errors.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await normalize({ format, ...(time ? { time } : {}) }, Readable.from([lines.join('\n')]), output, errors);
  const records = out.split('\n').filter(Boolean).map((line) => JSON.parse(line) as AuditRecord);
  const rejections = err.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { line: number; reason: string; raw: string; code: string });
  return { code, records, rejections };
}

const plain = 'INFO[7:39AM]: incoming request\thttp-method=GET http-path=/golang.org/x/text/@v/v0.14.0.zip http-status=200 request-id=r1';

describe('modtrail normalize', () => {
  it('writes one record per line and exits 0 when nothing was rejected', async () => {
    const { code, records, rejections } = await runNormalize([plain, plain.replace('r1', 'r2')], 'athens', new Date('2026-11-24T12:00:00Z'));
    expect(code).toBe(0);
    expect(rejections).toEqual([]);
    expect(records.map((r) => r['@timestamp'])).toEqual(['2026-11-24T07:39:00.000Z', '2026-11-24T07:39:00.000Z']);
    expect(records[0]!.package).toEqual({ name: 'golang.org/x/text', version: 'v0.14.0', type: 'golang' });
    expect(records[0]!.event.id).not.toBe(records[1]!.event.id);
  });

  it('reports each rejected line with its number, reason and raw text, and exits 2', async () => {
    const { code, records, rejections } = await runNormalize([plain, '', 'garbage line'], 'athens');
    expect(code).toBe(2);
    expect(records).toHaveLength(1);
    expect(rejections.map((r) => [r.line, r.raw])).toEqual([
      [2, ''],
      [3, 'garbage line'],
    ]);
    expect(rejections.every((r) => r.reason.length > 0)).toBe(true);
  });

  it('detects the format with auto and refuses what it cannot recognise', async () => {
    const { code, records, rejections } = await runNormalize([plain, 'plainly not a log line'], 'auto');
    expect(code).toBe(2);
    expect(records[0]!.event.dataset).toBe('athens.access');
    expect(rejections[0]).toMatchObject({ line: 2, code: 'parse.unknown_format' });
  });

  it('gives the same line the same event id on every run', async () => {
    const first = await runNormalize([plain], 'athens', new Date('2026-11-24T12:00:00Z'));
    const second = await runNormalize([plain], 'athens', new Date('2026-11-24T12:00:00Z'));
    expect(first.records[0]!.event.id).toBe(second.records[0]!.event.id);
  });
});
