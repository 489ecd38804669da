import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { once } from 'node:events';
import { InvalidArgumentError } from 'commander';
import { sourceFormats, type SourceFormat } from '../core/component.js';
import { createNormalizer } from '../normalize/normalizer.js';
import { parsers } from '../pipeline/registry.js';

export const normalizeFormats = [...sourceFormats, 'auto'] as const;
export type NormalizeFormat = (typeof normalizeFormats)[number];

export interface NormalizeOptions {
  format: NormalizeFormat;
  /** The transport timestamp for formats whose lines carry no date (Athens plain text). */
  time?: Date;
}

/** The origin a line read from standard input gets, so its event id is stable for the same line number. */
const stdinTopic = 'stdin';

/**
 * `modtrail normalize`: one raw event per input line → one JSON record per output line, through the same
 * normalizer the service runs. Rejections go to `errors` as JSON lines. Returns 0, or 2 if anything was rejected.
 */
export async function normalize(options: NormalizeOptions, input: Readable, output: Writable, errors: Writable): Promise<number> {
  const normalizeEvent = createNormalizer(parsers, {});
  const headers: Record<string, string> = options.format === 'auto' ? {} : { 'modtrail-format': options.format };
  const receivedAt = options.time ?? new Date();
  let lineNumber = 0;
  let rejected = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    const result = normalizeEvent(
      { value: Buffer.from(line, 'utf8'), headers, origin: { topic: stdinTopic, partition: 0, offset: String(lineNumber - 1) }, receivedAt },
      new Date(),
    );
    if (result.ok) {
      if (!output.write(`${JSON.stringify(result.record)}\n`)) await once(output, 'drain');
    } else {
      rejected++;
      errors.write(`${JSON.stringify({ line: lineNumber, code: result.rejection.code, reason: result.rejection.reason, raw: line })}\n`);
    }
  }
  return rejected > 0 ? 2 : 0;
}

export function parseFormat(value: string): SourceFormat | 'auto' {
  if ((normalizeFormats as readonly string[]).includes(value)) return value as NormalizeFormat;
  throw new InvalidArgumentError(`must be one of ${normalizeFormats.join(', ')}`);
}
