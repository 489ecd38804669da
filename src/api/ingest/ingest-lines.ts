// POST /v1/events: the request's lines go to Kafka first (the pipeline's own path and guarantees), then each is
// normalized here with its real origin, so the answer names the id the pipeline will store it under, or why not.
import { sourceFormats, type SourceFormat } from '../../core/component.js';
import { ModtrailError } from '../../core/errors.js';
import type { Normalize } from '../../normalize/normalizer.js';
import type { IngestProducer } from './ingest-producer.js';

/** Formats an ingest client may name; modtrail's own formats are absent so no one can forge its audit events. */
const ownFormats: readonly SourceFormat[] = ['modtrail-api', 'modtrail-lifecycle'];
export const ingestFormats = sourceFormats.filter((format): format is Exclude<SourceFormat, 'modtrail-api' | 'modtrail-lifecycle'> => !ownFormats.includes(format));
export type IngestFormat = (typeof ingestFormats)[number];

const machineFormats: readonly IngestFormat[] = ['agent', 'sysmon'];

export interface IngestTopics {
  proxy: string;
  agent: string;
}

export type LineResult =
  | { line: number; status: 'accepted'; id: string; offset: string }
  | { line: number; status: 'rejected'; offset: string; code: string; reason: string };

export interface IngestOutcome {
  topic: string;
  partition: number;
  accepted: number;
  rejected: number;
  results: LineResult[];
}

/** The non-empty lines of a JSON-lines body with their 1-based line numbers; a trailing "\r" is dropped. */
export function splitLines(body: Buffer): { line: number; value: Buffer }[] {
  const lines: { line: number; value: Buffer }[] = [];
  let start = 0;
  let number = 1;
  for (let i = 0; i <= body.length; i++) {
    if (i < body.length && body[i] !== 0x0a) continue;
    let end = i;
    if (end > start && body[end - 1] === 0x0d) end--;
    if (end > start) lines.push({ line: number, value: body.subarray(start, end) });
    start = i + 1;
    number++;
  }
  return lines;
}

export async function ingestLines(
  lines: readonly { line: number; value: Buffer }[],
  options: { format: IngestFormat; observer?: string; topics: IngestTopics; producer: IngestProducer; normalize: Normalize },
): Promise<IngestOutcome> {
  const topic = machineFormats.includes(options.format) ? options.topics.agent : options.topics.proxy;
  // The format travels as a header, so the pipeline parses each line exactly as it is parsed here.
  const headers: Record<string, string> = { 'modtrail-format': options.format };
  if (options.observer !== undefined) headers['modtrail-observer'] = options.observer;
  const receivedAt = new Date();
  let batch: Awaited<ReturnType<IngestProducer['append']>>;
  try {
    batch = await options.producer.append(topic, lines.map((l) => ({ value: l.value, headers })), receivedAt);
  } catch (error) {
    // Not acknowledged means not accepted: the client must send the batch again.
    throw new ModtrailError('source.unavailable', 'Kafka did not acknowledge the events; nothing was accepted, send them again', { cause: error });
  }
  const ingestedAt = new Date();
  let accepted = 0;
  const results = lines.map((l, i): LineResult => {
    const offset = String(batch.baseOffset + BigInt(i));
    const result = options.normalize({ value: l.value, headers, origin: { topic: batch.topic, partition: batch.partition, offset }, receivedAt }, ingestedAt);
    if (!result.ok) return { line: l.line, status: 'rejected', offset, code: result.rejection.code, reason: result.rejection.reason };
    accepted++;
    return { line: l.line, status: 'accepted', id: result.record.event.id, offset };
  });
  return { topic: batch.topic, partition: batch.partition, accepted, rejected: results.length - accepted, results };
}
