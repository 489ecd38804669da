// Tamper evidence end to end: real Kafka → the service hashes and seals every offset → real OpenSearch; then
// `modtrail verify` over what is stored, clean first, then after a crash, a key rotation and deliberate tampering.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Client } from '@opensearch-project/opensearch';
import { CompactSign } from 'jose';
import { Partitioners } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verify } from '../../src/cli/verify.js';
import { configSchema, type Config } from '../../src/config/schema.js';
import type { AuditRecord } from '../../src/core/record.js';
import { generateSealKeyJwk, parseSealKeys, publicJwks } from '../../src/integrity/keys.js';
import { recordHash } from '../../src/integrity/record-hash.js';
import type { Seal } from '../../src/integrity/seal-format.js';
import { buildService } from '../../src/pipeline/build.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { removeTestData } from '../support/cleanup.js';
import { committedTotal, eventually, testKafka } from '../support/kafka-topics.js';
import { athensDownloadLine } from '../support/athens-line.js';

const run = randomUUID().slice(0, 8);
const topics = { proxy: `seal-proxy-${run}`, agent: `seal-agent-${run}`, deadLetter: `seal-dlq-${run}`, api: `seal-api-${run}` };
const groupId = `seal-${run}`;
const indexPrefix = `seal-${run}`;
const kafka = testKafka(inject('kafkaBrokers'));
const opensearch = new Client({ node: inject('opensearchUrl') });
const keyDir = mkdtempSync(join(tmpdir(), 'modtrail-seal-keys-'));
const firstKeyFile = join(keyDir, 'first.json');
const rotatedKeyFile = join(keyDir, 'rotated.json');
const range = { from: new Date('2020-01-01T00:00:00Z'), to: new Date('2100-01-01T00:00:00Z') };
const retry = { initialDelayMs: 50, maxDelayMs: 500, maxElapsedMs: 20_000, multiplier: 2 };

let produced = 0;
let records = 0;
let letters = 0;

/** An Athens JSON line with its own time; `bad` lines are not Athens lines and become dead letters. */
const line = (i: number): string => athensDownloadLine(i, `seal-${run}-${i}`);

/** Produces good and bad lines across both partitions; returns how many of each. */
async function produceRound(good: number, bad: number): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const messages = [
    ...Array.from({ length: good }, (_, k) => ({ value: line(produced + k), partition: (produced + k) % 2 })),
    ...Array.from({ length: bad }, (_, k) => ({ value: `not an athens line ${produced + good + k}`, partition: k % 2 })),
  ];
  await producer.send({ topic: topics.proxy, acks: -1, messages });
  await producer.disconnect();
  produced += good + bad;
  records += good;
  letters += bad;
}

function config(keyFile: string, changes: Partial<Config['integrity']> = {}): Config {
  return configSchema.parse({
    log: { level: 'warn' },
    kafka: { brokers: inject('kafkaBrokers'), groupId, topics, topicFormats: { [topics.proxy]: 'athens' }, sessionTimeoutMs: 6000 },
    opensearch: { node: inject('opensearchUrl'), indexPrefix },
    metrics: { enabled: false },
    integrity: { keys: { file: keyFile }, sealEveryMs: 300, sealEveryRecords: 4, ...(keyFile === rotatedKeyFile ? { activeKid: 'second' } : {}), ...changes },
  });
}

async function runVerify(keyFile: string, options: { jwks?: string; allowGaps?: boolean } = {}): Promise<{ code: number; lines: string[] }> {
  await opensearch.indices.refresh({ index: `${indexPrefix}-*` });
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  const code = await verify(config(keyFile), { ...range, allowGaps: options.allowGaps ?? false, ...(options.jwks ? { jwks: options.jwks } : {}) }, out);
  return { code, lines: text.trim().split('\n') };
}

/** `modtrail verify` as an auditor runs it: the built CLI (npm run build first), configured by environment. */
async function verifyCommand(keyFile: string, args: string[] = []): Promise<{ code: number | null; stdout: string }> {
  await opensearch.indices.refresh({ index: `${indexPrefix}-*` });
  const child = spawn(process.execPath, ['bin/modtrail.js', 'verify', '--from', range.from.toISOString(), '--to', range.to.toISOString(), ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      MODTRAIL_OPENSEARCH_URL: inject('opensearchUrl'),
      MODTRAIL_OPENSEARCH_INDEX_PREFIX: indexPrefix,
      MODTRAIL_INTEGRITY_KEYS_FILE: keyFile,
      ...(keyFile === rotatedKeyFile ? { MODTRAIL_INTEGRITY_ACTIVE_KID: 'second' } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stdout };
}

async function search<T>(kind: string, body: object = {}): Promise<{ _id: string; _index: string; _source: T }[]> {
  await opensearch.indices.refresh({ index: `${indexPrefix}-*` });
  const response = await opensearch.search({ index: `${indexPrefix}-${kind}`, body: { size: 1000, ...body } });
  return response.body.hits.hits as { _id: string; _index: string; _source: T }[];
}

interface SealDoc {
  stream: { topic: string; partition: number };
  sequence: number;
  offsets: { first: string; last: string };
  kid: string;
  hash: string;
  previous: string | null;
  jws: string;
}

const payloadOf = (jws: string): Seal => JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as Seal;

afterAll(async () => {
  await opensearch.close();
  rmSync(keyDir, { recursive: true, force: true });
});

describe('tamper evidence against the real servers', () => {
  beforeAll(async () => {
    writeFileSync(firstKeyFile, JSON.stringify(await generateSealKeyJwk('first')), { mode: 0o600 });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: topics.proxy, numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
  });

  afterAll(async () => {
    await removeTestData({ kafka, topics: Object.values(topics), opensearch, indexPrefix });
  });

  it('hashes every record, seals every consumed offset per partition, and verifies clean', async () => {
    const service = buildService(config(firstKeyFile), createLogger('warn'), retry);
    await service.start();
    expect(service.sealJwks()!.keys.map((key) => key.kid)).toEqual(['first']);
    expect(JSON.stringify(service.sealJwks())).not.toContain('"d"');
    await produceRound(9, 3);
    await eventually(() => committedTotal(kafka, groupId, topics.proxy), (total) => total === produced);
    await service.stop();

    const stored = await search<AuditRecord>('audit');
    expect(stored).toHaveLength(records);
    for (const { _source } of stored) expect(_source.event.hash).toBe(recordHash(_source));
    const deadLetters = await search<{ origin: { offset: string }; original: string }>('deadletters');
    expect(deadLetters).toHaveLength(letters);
    expect(Buffer.from(deadLetters[0]!._source.original, 'base64').toString()).toMatch(/^not an athens line/);

    const seals = await search<SealDoc>('seals', { sort: [{ 'stream.partition': 'asc' }, { sequence: 'asc' }] });
    const partitions = new Set(seals.map((seal) => seal._source.stream.partition));
    expect(partitions).toEqual(new Set([0, 1]));
    for (const { _id, _source } of seals) expect(_id).toBe(`${topics.proxy}/${_source.stream.partition}/${_source.sequence}`);
    // Every offset of each partition is accounted for, from 0 to the end, in order.
    const covered = seals.reduce((sum, seal) => sum + Number(seal._source.offsets.last) - Number(seal._source.offsets.first) + 1, 0);
    expect(covered).toBe(produced);

    const result = await runVerify(firstKeyFile);
    expect(result.lines.at(-1)).toContain('no problems');
    expect(result.lines.at(-1)).toContain(`${records} record(s), ${letters} dead letter(s)`);
    expect(result.code).toBe(0);
    const command = await verifyCommand(firstKeyFile);
    expect(command.stdout).toContain('no problems');
    expect(command.code).toBe(0);
  });

  it('after a crash between store and seal, a restart with a rotated key continues every chain without duplicates', async () => {
    const before = await search<SealDoc>('seals');
    const committedBefore = await committedTotal(kafka, groupId, topics.proxy);
    // The crash: a real process, sealing only after an hour, killed with SIGKILL once it stored the new messages.
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
      env: {
        PATH: process.env.PATH ?? '',
        MODTRAIL_KAFKA_BROKERS: inject('kafkaBrokers').join(','),
        MODTRAIL_KAFKA_GROUP_ID: groupId,
        MODTRAIL_KAFKA_TOPIC_PROXY: topics.proxy,
        MODTRAIL_KAFKA_TOPIC_AGENT: topics.agent,
        MODTRAIL_KAFKA_TOPIC_DEADLETTER: topics.deadLetter,
        MODTRAIL_KAFKA_TOPIC_API: topics.api,
        MODTRAIL_KAFKA_TOPIC_FORMATS: JSON.stringify({ [topics.proxy]: 'athens' }),
        MODTRAIL_KAFKA_SESSION_TIMEOUT_MS: '6000',
        MODTRAIL_OPENSEARCH_URL: inject('opensearchUrl'),
        MODTRAIL_OPENSEARCH_INDEX_PREFIX: indexPrefix,
        MODTRAIL_METRICS_ENABLED: 'false',
        MODTRAIL_LOG_LEVEL: 'warn',
        MODTRAIL_INTEGRITY_KEYS_FILE: firstKeyFile,
        MODTRAIL_INTEGRITY_SEAL_EVERY_MS: '3600000',
        MODTRAIL_INTEGRITY_SEAL_EVERY_RECORDS: '100000',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await produceRound(6, 2);
    const count = async (kind: string) => {
      await opensearch.indices.refresh({ index: `${indexPrefix}-*` });
      return (await opensearch.count({ index: `${indexPrefix}-${kind}` })).body.count;
    };
    await eventually(async () => [await count('audit'), await count('deadletters')], ([stored, dead]) => stored === records && dead === letters, 90_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.kill('SIGKILL');
    await exited;
    // Stored but not sealed, so not committed either.
    expect(await search<SealDoc>('seals')).toHaveLength(before.length);
    expect(await committedTotal(kafka, groupId, topics.proxy)).toBe(committedBefore);

    // Rotation: the new key signs, the old one stays for verification.
    const first = JSON.parse((await import('node:fs')).readFileSync(firstKeyFile, 'utf8')) as object;
    writeFileSync(rotatedKeyFile, JSON.stringify({ keys: [first, await generateSealKeyJwk('second')] }), { mode: 0o600 });
    const service = buildService(config(rotatedKeyFile), createLogger('warn'), retry);
    await service.start();
    expect(service.sealJwks()!.keys.map((key) => key.kid).sort()).toEqual(['first', 'second']);
    await eventually(() => committedTotal(kafka, groupId, topics.proxy), (total) => total === produced, 90_000);
    await service.stop();

    expect(await search('audit')).toHaveLength(records);
    expect(await search('deadletters')).toHaveLength(letters);
    const seals = await search<SealDoc>('seals');
    expect(seals.length).toBeGreaterThan(before.length);
    for (const partition of [0, 1]) {
      const chain = seals.filter((seal) => seal._source.stream.partition === partition).sort((a, b) => a._source.sequence - b._source.sequence);
      expect(chain.map((seal) => seal._source.sequence)).toEqual(chain.map((_, i) => i));
      for (let i = 1; i < chain.length; i++) {
        expect(chain[i]!._source.previous).toBe(chain[i - 1]!._source.hash);
        expect(Number(chain[i]!._source.offsets.first)).toBe(Number(chain[i - 1]!._source.offsets.last) + 1);
      }
    }
    expect(new Set(seals.map((seal) => seal._source.kid))).toEqual(new Set(['first', 'second']));

    const result = await runVerify(rotatedKeyFile);
    expect(result.lines.at(-1)).toContain('no problems');
    expect(result.code).toBe(0);

    // Without the retired key, its seals no longer verify.
    const newOnly = join(keyDir, 'second-only.json');
    writeFileSync(newOnly, JSON.stringify({ keys: service.sealJwks()!.keys.filter((key) => key.kid === 'second') }));
    const withoutOld = await runVerify(rotatedKeyFile, { jwks: newOnly });
    expect(withoutOld.code).toBe(1);
    expect(withoutOld.lines.some((text) => text.startsWith('bad_signature') && text.includes('unknown_kid'))).toBe(true);
  });

  it('names offsets Kafka never delivered (transaction markers) as explicit gaps, and commits past a trailing one', async () => {
    const admin = kafka.admin();
    await admin.connect();
    const highOf = async (partition: number) => Number((await admin.fetchTopicOffsets(topics.proxy)).find((p) => p.partition === partition)!.high);
    // The coordinator writes a commit marker after the commit returns: wait for it, so each marker's place is known.
    const transact = async (outcome: 'commit' | 'abort' = 'commit') => {
      const before = await highOf(0);
      const producer = kafka.producer({ transactionalId: `seal-tx-${run}`, maxInFlightRequests: 1, idempotent: true });
      await producer.connect();
      const transaction = await producer.transaction();
      await transaction.send({ topic: topics.proxy, messages: [{ value: line(produced), partition: 0 }] });
      await (outcome === 'commit' ? transaction.commit() : transaction.abort());
      await producer.disconnect();
      produced += 1;
      if (outcome === 'commit') records += 1;
      await eventually(() => highOf(0), (high) => high === before + 2);
      return before + 1;
    };
    // One marker followed by a plain message (inside a sealed range), and one at the very end of the partition,
    // which kafkajs passes over in a fetch of its own: it must be sealed and committed all the same.
    const inner = await transact();
    await produceRound(2, 0);
    const trailing = await transact();

    const ends = await admin.fetchTopicOffsets(topics.proxy);
    const end = ends.reduce((sum, p) => sum + Number(p.high), 0);
    expect(Number(ends.find((p) => p.partition === 0)!.high)).toBe(trailing + 1);
    const service = buildService(config(rotatedKeyFile), createLogger('warn'), retry);
    await service.start();
    let aborted: number;
    try {
      await eventually(() => committedTotal(kafka, groupId, topics.proxy), (total) => total === end, 90_000);
      // An aborted transaction while the service reads: kafkajs fetches its message and marker, filters both, and hands no batch over.
      aborted = await transact('abort');
      await eventually(() => committedTotal(kafka, groupId, topics.proxy), (total) => total === end + 2, 90_000);
    } finally {
      await service.stop();
      await admin.disconnect();
    }

    const strict = await runVerify(rotatedKeyFile);
    const gaps = strict.lines.filter((text) => text.startsWith('offset_gap'));
    for (const [first, last] of [[inner, inner], [trailing, trailing], [aborted - 1, aborted]]) {
      expect(gaps.some((text) => text.includes(`${topics.proxy}/0 offsets ${first}..${last} hold nothing`) && text.includes('Kafka delivered no message'))).toBe(true);
    }
    expect(await search('audit')).toHaveLength(records);
    expect(strict.code).toBe(1);

    const lenient = await runVerify(rotatedKeyFile, { allowGaps: true });
    expect(lenient.lines.some((text) => text.startsWith('note offset_gap'))).toBe(true);
    expect(lenient.lines.at(-1)).toContain('no problems');
    expect(lenient.code).toBe(0);
  });

  it('names each kind of tampering done directly in OpenSearch', async () => {
    // More rounds, so each partition has several seals to tamper with separately.
    const service = buildService(config(rotatedKeyFile), createLogger('warn'), retry);
    await service.start();
    for (let round = 0; round < 3; round++) {
      await produceRound(4, 0);
      await eventually(() => committedTotal(kafka, groupId, topics.proxy), (total) => total >= produced, 90_000);
    }
    await service.stop();
    const clean = await runVerify(rotatedKeyFile, { allowGaps: true });
    expect(clean.code).toBe(0);

    const seals = await search<SealDoc>('seals');
    const chain = (partition: number) =>
      seals.filter((seal) => seal._source.stream.partition === partition && seal._source.offsets.first !== undefined).sort((a, b) => a._source.sequence - b._source.sequence);
    const [p0, p1] = [chain(0), chain(1)];
    expect(p0.length).toBeGreaterThanOrEqual(4);
    expect(p1.length).toBeGreaterThanOrEqual(4);
    const stored = await search<AuditRecord>('audit');
    const recordIn = (seal: SealDoc) => {
      const hit = stored.find(({ _source }) => {
        const origin = _source.modtrail!.origin!;
        return origin.partition === seal.stream.partition && Number(origin.offset) >= Number(seal.offsets.first) && Number(origin.offset) <= Number(seal.offsets.last);
      });
      if (!hit) throw new Error(`no record in seal ${seal.sequence} of partition ${seal.stream.partition}`);
      return hit;
    };
    const refresh = { refresh: true as const };

    // A field of one record changed (a verdict softened).
    const modified = recordIn(p0.at(-1)!._source);
    await opensearch.update({ index: modified._index, id: modified._id, body: { doc: { event: { action: 'module.info' } } }, ...refresh });
    // One record deleted.
    const deleted = recordIn(p1[0]!._source);
    await opensearch.delete({ index: deleted._index, id: deleted._id, ...refresh });
    // A forged record slipped in at a sealed offset, with a hash that fits its own content.
    const original = recordIn(p1.at(-1)!._source);
    const forged: AuditRecord = { ...original._source, event: { ...original._source.event, id: `forged-${run}`, hash: undefined } };
    forged.event.hash = recordHash(forged);
    await opensearch.create({ index: original._index, id: forged.event.id, body: forged, ...refresh });
    // A forged record that names no Kafka origin at all, so it belongs to no stream.
    const { modtrail: _origin, ...strayFields } = original._source;
    const stray: AuditRecord = { ...strayFields, event: { ...original._source.event, id: `stray-${run}`, hash: undefined } };
    stray.event.hash = recordHash(stray);
    await opensearch.create({ index: original._index, id: stray.event.id, body: stray, ...refresh });
    // A seal rewritten and signed by an attacker's key that claims the real kid.
    const rewritten = p0[1]!;
    const attacker = await parseSealKeys(JSON.stringify(await generateSealKeyJwk(rewritten._source.kid)), { source: 'attacker' });
    const payload = { ...payloadOf(rewritten._source.jws), sealed_at: new Date().toISOString() };
    const { canonicalize } = await import('../../src/integrity/canonical-json.js');
    const forgedJws = await new CompactSign(new TextEncoder().encode(canonicalize(payload)))
      .setProtectedHeader({ alg: attacker.active.alg, kid: rewritten._source.kid, typ: 'modtrail-seal+jws' })
      .sign(attacker.active.privateKey);
    expect(publicJwks(attacker).keys[0]!.x).not.toBe(undefined);
    await opensearch.update({ index: `${indexPrefix}-seals-000001`, id: rewritten._id, body: { doc: { jws: forgedJws } }, ...refresh });
    // A signature broken (one character of it changed).
    const broken = p0[0]!;
    const jws = broken._source.jws;
    const flipped = `${jws.slice(0, -2)}${jws.at(-2) === 'A' ? 'B' : 'A'}${jws.at(-1)}`;
    await opensearch.update({ index: `${indexPrefix}-seals-000001`, id: broken._id, body: { doc: { jws: flipped } }, ...refresh });
    // A seal deleted from the middle of a chain.
    const removed = p1[1]!;
    await opensearch.delete({ index: `${indexPrefix}-seals-000001`, id: removed._id, ...refresh });
    // A dead letter's reason rewritten, in a seal left intact.
    const untouched = [...p0.slice(2), p1[0]!, ...p1.slice(2)].map((seal) => seal._source);
    const letters = await search<{ origin: { partition: number; offset: string } }>('deadletters');
    const letter = letters.find(({ _source }) =>
      untouched.some((seal) => seal.stream.partition === _source.origin.partition && Number(_source.origin.offset) >= Number(seal.offsets.first) && Number(_source.origin.offset) <= Number(seal.offsets.last)),
    )!;
    expect(letter).toBeDefined();
    await opensearch.update({ index: letter._index, id: letter._id, body: { doc: { reason: 'nothing to see here' } }, ...refresh });

    const result = await runVerify(rotatedKeyFile, { allowGaps: true });
    expect(result.code).toBe(1);
    const find = (kind: string, ...parts: string[]) => result.lines.find((text) => text.startsWith(`${kind} `) && parts.every((part) => text.includes(part)));
    expect(find('record_modified', `${topics.proxy}/0`, `record ${modified._source.event.id}`)).toBeDefined();
    expect(find('record_deleted', `${topics.proxy}/1`, `record ${deleted._source.event.id}`)).toBeDefined();
    expect(find('record_inserted', `${topics.proxy}/1`, `record forged-${run}`, `offsets ${original._source.modtrail!.origin!.offset}..`)).toBeDefined();
    expect(find('bad_signature', `${topics.proxy}/0`, `seal ${rewritten._source.sequence}`, 'bad_signature')).toBeDefined();
    expect(find('bad_signature', `${topics.proxy}/0`, `seal ${broken._source.sequence}`)).toBeDefined();
    expect(find('chain_broken', `${topics.proxy}/1`, `seal ${removed._source.sequence}`, 'missing')).toBeDefined();
    expect(find('record_inserted', `record stray-${run}`, 'no Kafka origin')).toBeDefined();
    const letterAt = `${topics.proxy}/${letter._source.origin.partition}`;
    expect(find('record_modified', letterAt, `offsets ${letter._source.origin.offset}..${letter._source.origin.offset}`, 'dead letter')).toBeDefined();
    // Untouched seals and records raise nothing: eight tamperings, eight problems (gap notes aside).
    const problems = result.lines.slice(0, -1).filter((text) => !text.startsWith('note '));
    expect(problems).toHaveLength(8);
    expect(result.lines.at(-1)).toContain(': 8 problem(s)');
    const command = await verifyCommand(rotatedKeyFile, ['--allow-gaps']);
    expect(command.stdout.trim().split('\n').filter((text) => !text.startsWith('note ')).slice(0, -1)).toEqual(problems);
    expect(command.code).toBe(1);
  });
});

describe('two members of one group, joining and leaving', () => {
  const runB = randomUUID().slice(0, 8);
  const topicsB = { proxy: `seal2-proxy-${runB}`, agent: `seal2-agent-${runB}`, deadLetter: `seal2-dlq-${runB}`, api: `seal2-api-${runB}` };
  const prefixB = `seal2-${runB}`;
  const keyFile = join(keyDir, 'group.json');
  let sent = 0;

  const groupConfig = (): Config =>
    configSchema.parse({
      log: { level: 'warn' },
      kafka: { brokers: inject('kafkaBrokers'), groupId: `seal2-${runB}`, topics: topicsB, topicFormats: { [topicsB.proxy]: 'athens' }, sessionTimeoutMs: 6000 },
      opensearch: { node: inject('opensearchUrl'), indexPrefix: prefixB },
      metrics: { enabled: false },
      integrity: { keys: { file: keyFile }, sealEveryMs: 200, sealEveryRecords: 50 },
    });

  async function send(count: number): Promise<void> {
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic: topicsB.proxy, acks: -1, messages: Array.from({ length: count }, (_, k) => ({ value: line(1000 + sent + k), partition: (sent + k) % 4 })) });
    await producer.disconnect();
    sent += count;
  }

  beforeAll(async () => {
    writeFileSync(keyFile, JSON.stringify(await generateSealKeyJwk('group')), { mode: 0o600 });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: topicsB.proxy, numPartitions: 4 }], waitForLeaders: true });
    await admin.disconnect();
  });

  afterAll(async () => {
    await removeTestData({ kafka, topics: Object.values(topicsB), indexPrefix: prefixB, opensearch });
  });

  it('hands partitions over through rebalances without forking a chain or leaving an offset unsealed', async () => {
    const fatal: unknown[] = [];
    const a = buildService(groupConfig(), createLogger('warn'), retry);
    a.failed.catch((error: unknown) => fatal.push(error));
    await a.start();
    await send(20);
    await eventually(() => committedTotal(kafka, `seal2-${runB}`, topicsB.proxy), (total) => total === sent, 90_000);

    const b = buildService(groupConfig(), createLogger('warn'), retry);
    b.failed.catch((error: unknown) => fatal.push(error));
    await b.start();
    for (let round = 0; round < 3; round++) {
      await send(12);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    await eventually(() => committedTotal(kafka, `seal2-${runB}`, topicsB.proxy), (total) => total === sent, 90_000);
    await a.stop();
    await send(12);
    await eventually(() => committedTotal(kafka, `seal2-${runB}`, topicsB.proxy), (total) => total === sent, 90_000);
    await b.stop();
    expect(fatal).toEqual([]);

    const client = opensearch;
    await client.indices.refresh({ index: `${prefixB}-*` });
    expect((await client.count({ index: `${prefixB}-audit` })).body.count).toBe(sent);
    const { body } = await client.search({ index: `${prefixB}-seals`, body: { size: 1000 } });
    const seals = (body.hits.hits as { _source: SealDoc }[]).map((hit) => hit._source);
    const covered = seals.reduce((sum, seal) => sum + Number(seal.offsets.last) - Number(seal.offsets.first) + 1, 0);
    expect(covered).toBe(sent);

    let text = '';
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    const code = await verify(groupConfig(), { ...range, allowGaps: false }, out);
    expect(text).toContain('no problems');
    expect(code).toBe(0);
  });
});
