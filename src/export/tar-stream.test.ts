import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tarHeader, tarStream } from './tar-stream.js';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('tarStream', () => {
  it('writes an archive that tar lists and extracts byte for byte', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'modtrail-tar-'));
    dirs.push(dir);
    const files = { 'a.jsonl': 'x'.repeat(1000) + '\n', 'empty.txt': '', 'exact.bin': 'y'.repeat(512), 'ünï.txt': 'héllo\n' };
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    const archive = join(dir, 'out.tar');
    await pipeline(Readable.from(tarStream(Object.keys(files).map((name) => ({ name: `bundle/${name}`, path: join(dir, name) })))), createWriteStream(archive));
    expect(execFileSync('tar', ['-tf', archive], { encoding: 'utf8' }).trim().split('\n')).toEqual(Object.keys(files).map((n) => `bundle/${n}`));
    const out = join(dir, 'x');
    await mkdir(out);
    execFileSync('tar', ['-xf', archive, '-C', out]);
    for (const [name, text] of Object.entries(files)) expect(await readFile(join(out, 'bundle', name), 'utf8')).toBe(text);
  });

  it('encodes sizes past 8 GiB in base-256 and refuses names tar cannot hold', () => {
    const header = tarHeader('big', 2 ** 34, new Date(0));
    expect(header[124]).toBe(0x80);
    expect(header.readBigUInt64BE(128)).toBe(2n ** 34n);
    expect(() => tarHeader('n'.repeat(101), 1, new Date(0))).toThrow(/longer than 100/);
  });
});
