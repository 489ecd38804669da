// Reading a bundle's files in constant memory: lines one at a time, a file's SHA-256, and a byte-exact comparison
// of a file against text generated piece by piece.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** The lines of a text file, numbered from 1; a final empty line (after the last newline) is not yielded. */
export async function* fileLines(path: string): AsyncIterable<{ line: number; text: string }> {
  const reader = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of reader) yield { line: ++line, text };
}

export async function fileDigest(path: string): Promise<{ sha256: string; bytes: number; lines: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  let lines = 0;
  for await (const chunk of createReadStream(path)) {
    const buffer = chunk as Buffer;
    hash.update(buffer);
    bytes += buffer.length;
    for (const byte of buffer) if (byte === 0x0a) lines++;
  }
  return { sha256: hash.digest('hex'), bytes, lines };
}

/** Compares a file with expected text handed over in pieces (a CSV row at a time), without holding either whole. */
export class FileComparer {
  private readonly chunks: AsyncIterator<Buffer>;
  private buffer: Buffer = Buffer.alloc(0);
  private ended = false;

  constructor(path: string) {
    this.chunks = (createReadStream(path) as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }

  /** Whether the file's next bytes are exactly `text`; consumes them either way. */
  async next(text: string): Promise<boolean> {
    const expected = Buffer.from(text, 'utf8');
    while (this.buffer.length < expected.length && !this.ended) {
      const { value, done } = await this.chunks.next();
      if (done) this.ended = true;
      else this.buffer = this.buffer.length === 0 ? value : Buffer.concat([this.buffer, value]);
    }
    const actual = this.buffer.subarray(0, expected.length);
    this.buffer = this.buffer.subarray(actual.length);
    return actual.equals(expected);
  }

  /** Whether anything is left after the expected text. */
  async hasMore(): Promise<boolean> {
    if (this.buffer.length > 0) return true;
    if (this.ended) return false;
    const { value, done } = await this.chunks.next();
    if (done) {
      this.ended = true;
      return false;
    }
    this.buffer = value;
    return value.length > 0 || this.hasMore();
  }

  async close(): Promise<void> {
    await this.chunks.return?.();
  }
}
