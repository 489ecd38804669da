// Proves kafkajs 2.2.4 against the real Kafka 4.1 broker before anything is built on it (docs/DECISIONS.md).
import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const kafka = new Kafka({ clientId: 'smoke', brokers: inject('kafkaBrokers'), logLevel: logLevel.ERROR });
const admin = kafka.admin();
const topic = `smoke-${randomUUID()}`;
const groupId = `smoke-group-${randomUUID()}`;

/** Consumes with manual commits until `count` messages arrived, commits after each batch, then stops. */
async function consume(count: number): Promise<string[]> {
  const consumer: Consumer = kafka.consumer({ groupId });
  const seen: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    // A crash kafkajs restarts from (e.g. the coordinator still loading) is not a failure; one it gives up on is.
    consumer.on(consumer.events.CRASH, (event) => {
      if (!event.payload.restart) reject(event.payload.error);
    });
    void consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        for (const message of batch.messages as KafkaMessage[]) {
          seen.push(message.value?.toString() ?? '');
          resolveOffset(message.offset);
          await heartbeat();
        }
        const last = batch.messages.at(-1);
        if (last) {
          await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
        }
        if (seen.length >= count) resolve();
      },
    });
  });
  await consumer.disconnect();
  return seen;
}

describe('kafkajs 2.2.4 against Kafka 4.1 (KRaft)', () => {
  beforeAll(async () => {
    await admin.connect();
  });
  afterAll(async () => {
    await admin.disconnect();
  });

  it('creates, produces, consumes in a group, commits, resumes after a restart, and deletes', async () => {
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true })).toBe(true);

    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const first = Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `first-${i}` }));
    await producer.send({ topic, acks: -1, messages: first });

    const firstRun = await consume(10);
    expect(firstRun.sort()).toEqual(first.map((m) => m.value).sort());

    const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
    const total = committed[0]!.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
    expect(total).toBe(10);

    const second = Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, value: `second-${i}` }));
    await producer.send({ topic, acks: -1, messages: second });
    await producer.disconnect();

    // A new consumer in the same group must start at the committed offsets: only the second batch arrives.
    const secondRun = await consume(5);
    expect(secondRun.sort()).toEqual(second.map((m) => m.value).sort());

    await admin.deleteTopics({ topics: [topic] });
    expect(await admin.listTopics()).not.toContain(topic);
  });
});
