// A batch mixing every format, good and bad, through the real servers: every good event is stored, every bad one
// is a dead letter with its reason (from normalize or from the store), and every offset is committed.
import { randomUUID } from 'node:crypto';
import { Client } from '@opensearch-project/opensearch';
import type { IHeaders } from 'kafkajs';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { sourceFormats, type SourceFormat } from '../../src/core/component.js';
import type { AuditRecord } from '../../src/core/record.js';
import { readParserCases } from '../../src/normalize/testdata-runner.js';
import { buildService } from '../../src/pipeline/build.js';
import { deadLetterHeaders } from '../../src/sinks/dead-letter/kafka-dead-letter-sink.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { committedTotal, eventually, produce, readTopic, testKafka } from '../support/kafka-topics.js';
import { removeTestData } from '../support/cleanup.js';

const run = randomUUID().slice(0, 8);
const topics = { proxy: `mixed-proxy-${run}`, agent: `mixed-agent-${run}`, deadLetter: `mixed-dlq-${run}` };
const groupId = `mixed-${run}`;
const indexPrefix = `mixed-${run}`;
const kafka = testKafka(inject('kafkaBrokers'));
const opensearch = new Client({ node: inject('opensearchUrl') });

interface Sample {
  format: SourceFormat;
  raw: string;
  expected: { rejection?: string; '@timestamp'?: string; event?: { dataset: string } };
}

/** One genuine accepted and one rejected line per format, from the parsers' own testdata. */
function samples(): { good: Sample[]; bad: Sample[] } {
  const good: Sample[] = [];
  const bad: Sample[] = [];
  for (const format of sourceFormats) {
    const cases = readParserCases(new URL(`../../src/normalize/${format}/testdata/cases.json`, import.meta.url));
    const accepted = cases.filter((c) => !('rejection' in c.expected) && c.observerName === undefined && !c.raw.includes('\n'));
    const rejected = cases.find((c) => 'rejection' in c.expected && c.raw.trim() !== '');
    for (const c of accepted.slice(0, 2)) good.push({ format, raw: c.raw, expected: c.expected as Sample['expected'] });
    if (rejected) bad.push({ format, raw: rejected.raw, expected: rejected.expected as Sample['expected'] });
  }
  return { good, bad };
}

afterAll(async () => {
  await removeTestData({ kafka, topics: Object.values(topics), opensearch, indexPrefix });
  await opensearch.close();
});

describe('a batch mixing every format, good and bad', () => {
  it('stores every good event and dead-letters every bad one with its reason', async () => {
    const { good, bad } = samples();
    const detected = good.find((s) => s.format === 'artifactory-request')!;
    // A good record the store will refuse: its day (no other sample's) gets an index that cannot hold a method name.
    const refusedByStore: Sample = {
      format: 'nexus-request',
      raw: '10.9.8.7 - auditor [05/Jan/1999:10:00:00 +0000] "GET /repository/go-proxy/golang.org/x/text/@v/v0.14.0.zip HTTP/1.1" 200 - 123 4 "Go-http-client/1.1"',
      expected: { '@timestamp': '1999-01-05T10:00:00.000Z' },
    };
    good.push(refusedByStore);
    const config = configSchema.parse({
      kafka: { brokers: inject('kafkaBrokers'), groupId, topics, topicFormats: { [topics.agent]: 'agent' } },
      opensearch: { node: inject('opensearchUrl'), indexPrefix },
      metrics: { enabled: false },
    });
    const service = buildService(config, createLogger('silent'), { initialDelayMs: 50, maxDelayMs: 500, maxElapsedMs: 10_000, multiplier: 2 });
    await service.start();

    // The store refuses one good Nexus record: its day's index exists with a mapping that cannot hold a method name.
    await opensearch.indices.create({ index: `${indexPrefix}-audit-1999.01.05`, body: { mappings: { properties: { http: { properties: { request: { properties: { method: { type: 'long' } } } } } } } } });

    const header = (format: SourceFormat): IHeaders => ({ 'modtrail-format': format });
    const messages: { value: string | Buffer; headers?: IHeaders }[] = [
      ...good.map((s) => ({ value: s.raw, headers: header(s.format) })),
      ...bad.map((s) => ({ value: s.raw, headers: header(s.format) })),
      // Named by no header and detected by its shape.
      { value: detected.raw },
      // Named by nothing, recognised by nothing.
      { value: 'the build server rebooted at noon' },
      // A format no parser knows, and bytes that are not UTF-8.
      { value: good[0]!.raw, headers: { 'modtrail-format': 'gitlab' } },
      { value: Buffer.from([0xff, 0xfe, 0x41, 0x0a]), headers: header('athens') },
    ];
    await produce(kafka, topics.proxy, messages);
    await eventually(() => committedTotal(kafka, groupId, topics.proxy), (total) => total === messages.length);
    await service.stop();

    await opensearch.indices.refresh({ index: `${indexPrefix}-*` });
    const { body } = await opensearch.search({ index: `${indexPrefix}-audit`, body: { size: 100 } });
    const stored = (body.hits.hits as { _source: AuditRecord }[]).map((hit) => hit._source);
    const storedOriginals = new Set(stored.map((r) => r.event.original));

    // Every good event but the one the store refused is stored, once per message (the detected one is a second message).
    const expectedStored = good.filter((s) => s !== refusedByStore).length + 1;
    expect(stored).toHaveLength(expectedStored);
    for (const sample of good.filter((s) => s !== refusedByStore)) expect(storedOriginals.has(sample.raw), `${sample.format}: ${sample.raw}`).toBe(true);
    expect(new Set(stored.map((r) => r.event.dataset)).size).toBeGreaterThanOrEqual(6);

    // Every bad event, and the refused one, is a dead letter with the original bytes, its origin and the reason.
    const expectedLetters = bad.length + 4;
    const letters = await readTopic(kafka, topics.deadLetter, expectedLetters, 30_000);
    expect(letters).toHaveLength(expectedLetters);
    const byValue = new Map(letters.map((l) => [l.value?.toString('latin1'), l]));
    for (const sample of bad) {
      const letter = byValue.get(Buffer.from(sample.raw).toString('latin1'));
      expect(letter, `${sample.format}: ${sample.raw}`).toBeDefined();
      expect(letter!.headers?.[deadLetterHeaders.code]?.toString()).toBe(sample.expected.rejection);
      expect(letter!.headers?.[deadLetterHeaders.stage]?.toString()).toBe('normalize');
      expect(letter!.headers?.['modtrail-format']?.toString()).toBe(sample.format);
    }
    const refused = byValue.get(Buffer.from(refusedByStore.raw).toString('latin1'))!;
    expect(refused.headers?.[deadLetterHeaders.stage]?.toString()).toBe('store');
    expect(refused.headers?.[deadLetterHeaders.code]?.toString()).toBe('store.rejected');
    expect(refused.headers?.[deadLetterHeaders.reason]?.toString()).toMatch(/^400 .*http\.request\.method/);
    const codes = letters.map((l) => l.headers?.[deadLetterHeaders.code]?.toString());
    expect(codes.filter((c) => c === 'parse.unknown_format')).toHaveLength(2);
    expect(codes).toContain('parse.encoding');
    for (const letter of letters) {
      expect(letter.headers?.[deadLetterHeaders.topic]?.toString()).toBe(topics.proxy);
      expect(letter.headers?.[deadLetterHeaders.reason]?.toString().length).toBeGreaterThan(0);
      expect(letter.headers?.[deadLetterHeaders.offset]?.toString()).toMatch(/^\d+$/);
    }
    // Nothing lost: every consumed message is a stored record or a dead letter.
    expect(stored.length + letters.length).toBe(messages.length);
  });
});
