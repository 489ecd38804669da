// A file written line by line with backpressure, hashed (SHA-256) and counted as it goes.
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';

export interface WrittenFile {
  name: string;
  sha256: string;
  bytes: number;
  lines: number;
}

export class HashingFile {
  private readonly stream: WriteStream;
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  private lines = 0;
  private failure: Error | undefined;

  constructor(
    readonly path: string,
    readonly name: string,
  ) {
    // 'wx': an export never overwrites a file; a second export into the same directory fails instead.
    this.stream = createWriteStream(path, { flags: 'wx' });
    // Kept, not thrown: an unheard stream error would crash the process; the next write or close reports it.
    this.stream.on('error', (error) => (this.failure ??= error));
  }

  private settled(event: 'drain' | 'finish'): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      const done = () => {
        this.stream.off('error', failed);
        resolve();
      };
      const failed = (error: Error) => {
        this.stream.off(event, done);
        reject(error);
      };
      this.stream.once(event, done);
      this.stream.once('error', failed);
    });
  }

  /** Writes text (or UTF-8 bytes); waits for the disk when the buffer is full, so memory stays flat however much is written. */
  async write(text: string | Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    const chunk = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    this.hash.update(chunk);
    this.bytes += chunk.length;
    // Line feeds, counted as a verifier counts them (a quoted CSV cell may hold one).
    for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) this.lines++;
    if (!this.stream.write(chunk)) await this.settled('drain');
  }

  get bytesWritten(): number {
    return this.bytes;
  }

  async close(): Promise<WrittenFile> {
    const finished = this.settled('finish');
    this.stream.end();
    await finished;
    return { name: this.name, sha256: this.hash.digest('hex'), bytes: this.bytes, lines: this.lines };
  }

  /** Closes without a result, after a failure; resolves once the file is closed, so it can be removed. */
  abort(): Promise<void> {
    if (this.stream.closed) return Promise.resolve();
    // A stream destroyed before its file opened still opens (creates) it, then closes: wait for that.
    const closed = new Promise<void>((resolve) => this.stream.once('close', () => resolve()));
    this.stream.destroy();
    return closed;
  }
}
