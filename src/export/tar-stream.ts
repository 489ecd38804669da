// A POSIX ustar archive of finished files, streamed with node built-ins only (no archive dependency): a 512-byte
// header per file, its bytes, zero padding to 512, then two zero blocks.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

const block = 512;
/** ustar's octal size field holds 11 digits (8 GiB - 1); larger sizes use the GNU/POSIX base-256 form. */
const maxOctalSize = 0o77777777777;

export interface TarEntry {
  /** The name inside the archive (at most 100 bytes). */
  name: string;
  path: string;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

export function tarHeader(name: string, size: number, mtime: Date): Buffer {
  const header = Buffer.alloc(block, 0);
  if (Buffer.byteLength(name) > 100) throw new RangeError(`tar entry name ${name} is longer than 100 bytes`);
  header.write(name, 0, 100, 'utf8');
  header.write(octal(0o644, 8), 100, 'ascii');
  header.write(octal(0, 8), 108, 'ascii');
  header.write(octal(0, 8), 116, 'ascii');
  if (size <= maxOctalSize) header.write(octal(size, 12), 124, 'ascii');
  else {
    // Base-256: high bit set in the first byte, the size big-endian in the rest.
    header[124] = 0x80;
    let rest = BigInt(size);
    for (let i = 135; i > 124; i--) {
      header[i] = Number(rest & 0xffn);
      rest >>= 8n;
    }
  }
  header.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 'ascii');
  header.write('        ', 148, 'ascii');
  header.write('0', 156, 'ascii');
  header.write('ustar\u000000', 257, 'ascii');
  header.write('modtrail', 265, 'ascii');
  header.write('modtrail', 297, 'ascii');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return header;
}

/** The archive as chunks, one file at a time; memory holds one read chunk, whatever the files' sizes. */
export async function* tarStream(entries: readonly TarEntry[]): AsyncIterable<Buffer> {
  for (const entry of entries) {
    const info = await stat(entry.path);
    yield tarHeader(entry.name, info.size, info.mtime);
    let written = 0;
    // Read no further than the size in the header, even if the file grew since.
    if (info.size > 0) {
      for await (const chunk of createReadStream(entry.path, { end: info.size - 1 })) {
        written += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
    }
    if (written !== info.size) throw new Error(`${entry.path} changed size while archived`);
    const padding = (block - (info.size % block)) % block;
    if (padding > 0) yield Buffer.alloc(padding, 0);
  }
  yield Buffer.alloc(block * 2, 0);
}
