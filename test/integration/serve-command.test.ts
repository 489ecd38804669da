// The `modtrail serve` command as an operator runs it: configured by environment, stopped by SIGTERM.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { committedTotal, eventually, produce, testKafka } from '../support/kafka-topics.js';
import { removeTestData } from '../support/cleanup.js';
import { temporarySealKeyFile } from '../support/seal-keys.js';

const run = randomUUID().slice(0, 8);
const topic = `serve-proxy-${run}`;
const indexPrefix = `serve-${run}`;
const kafka = testKafka(inject('kafkaBrokers'));
const opensearch = new Client({ node: inject('opensearchUrl') });

function modtrail(args: string[], env: Record<string, string>): { exit: Promise<{ code: number | null; stderr: string }>; kill: () => void } {
  const child = spawn(process.execPath, ['bin/modtrail.js', ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    exit: new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr }))),
    kill: () => child.kill('SIGTERM'),
  };
}

describe('modtrail serve', () => {
  afterAll(async () => {
    await removeTestData({ kafka, topics: [topic, `serve-agent-${run}`, `serve-dlq-${run}`], opensearch, indexPrefix });
    await opensearch.close();
  });

  it('refuses to start on an invalid setting, naming it, with exit code 78', async () => {
    const { exit } = modtrail(['serve'], { MODTRAIL_KAFKA_BROKERS: 'no-port-here', MODTRAIL_COLOUR: 'blue' });
    const { code, stderr } = await exit;
    expect(code).toBe(78);
    expect(stderr).toContain('MODTRAIL_KAFKA_BROKERS');
    expect(stderr).toContain('MODTRAIL_COLOUR: unknown setting');
  });

  it('refuses to start without seal keys, saying how to make one, with exit code 78', async () => {
    const { exit } = modtrail(['serve'], { MODTRAIL_KAFKA_BROKERS: inject('kafkaBrokers').join(','), MODTRAIL_METRICS_ENABLED: 'false' });
    const { code, stderr } = await exit;
    expect(code).toBe(78);
    expect(stderr).toContain('integrity.keys is not set');
    expect(stderr).toContain('modtrail keys generate');

    // A key file that is not a key is a configuration error too, and its content is never echoed.
    const broken = await temporarySealKeyFile();
    writeFileSync(broken.file, '{"kty":"OKP","crv":"Ed25519","d":"c2VjcmV0LXNlZWQ"');
    const second = await modtrail(['serve'], { MODTRAIL_INTEGRITY_KEYS_FILE: broken.file, MODTRAIL_METRICS_ENABLED: 'false' }).exit;
    broken.remove();
    expect(second.code).toBe(78);
    expect(second.stderr).toContain('not valid JSON');
    expect(second.stderr).not.toContain('c2VjcmV0LXNlZWQ');
  });

  it('consumes, stores, and stops cleanly on SIGTERM', async () => {
    const groupId = `serve-${run}`;
    const sealKeys = await temporarySealKeyFile();
    const service = modtrail(['serve'], {
      MODTRAIL_INTEGRITY_KEYS_FILE: sealKeys.file,
      MODTRAIL_INTEGRITY_SEAL_EVERY_MS: '200',
      MODTRAIL_KAFKA_BROKERS: inject('kafkaBrokers').join(','),
      MODTRAIL_KAFKA_GROUP_ID: groupId,
      MODTRAIL_KAFKA_TOPIC_PROXY: topic,
      MODTRAIL_KAFKA_TOPIC_AGENT: `serve-agent-${run}`,
      MODTRAIL_KAFKA_TOPIC_DEADLETTER: `serve-dlq-${run}`,
      MODTRAIL_KAFKA_TOPIC_FORMATS: JSON.stringify({ [topic]: 'athens' }),
      MODTRAIL_OPENSEARCH_URL: inject('opensearchUrl'),
      MODTRAIL_OPENSEARCH_INDEX_PREFIX: indexPrefix,
      MODTRAIL_LOG_LEVEL: 'info',
      MODTRAIL_METRICS_PORT: '0',
    });
    // The service creates missing topics at start; wait for them before producing.
    const admin = kafka.admin();
    await admin.connect();
    await eventually(() => admin.listTopics(), (names) => names.includes(topic), 60_000);
    await admin.disconnect();
    await produce(kafka, topic, [
      { value: 'INFO[9:15AM]: incoming request\thttp-method=GET http-path=/golang.org/x/mod/@v/v0.17.0.mod http-status=200 request-id=serve-1' },
    ]);
    await eventually(() => committedTotal(kafka, groupId, topic), (total) => total === 1);
    service.kill();
    const { code, stderr } = await service.exit;
    expect(code).toBe(0);
    expect(stderr).toContain('modtrail stopped');
    expect(stderr).not.toContain('"d":');
    sealKeys.remove();

    await opensearch.indices.refresh({ index: `${indexPrefix}-*` });
    const { body } = await opensearch.search({ index: `${indexPrefix}-audit`, body: { query: { term: { 'trace.id': 'serve-1' } } } });
    const hits = body.hits.hits as { _source: { package: { name: string }; event: { action: string } } }[];
    expect(hits).toHaveLength(1);
    expect(hits[0]!._source.package.name).toBe('golang.org/x/mod');
    expect(hits[0]!._source.event.action).toBe('module.mod');
  });
});
