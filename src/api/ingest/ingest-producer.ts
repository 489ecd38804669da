import { randomUUID } from 'node:crypto';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { Lifecycle } from '../../core/component.js';

export interface ProducedBatch {
  topic: string;
  partition: number;
  /** The offset of the first message; the n-th message of the batch sits at baseOffset + n. */
  baseOffset: bigint;
}

/** Appends one request's lines to a topic, all on one partition, acknowledged by every in-sync replica. */
export interface IngestProducer {
  append(topic: string, messages: readonly { value: Buffer; headers: Record<string, string> }[], timestamp: Date): Promise<ProducedBatch>;
}

export class KafkaIngestProducer implements IngestProducer, Lifecycle {
  private readonly producer: Producer;
  private connected: Promise<void> | undefined;

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  }

  async start(): Promise<void> {
    this.connected ??= this.producer.connect();
    await this.connected;
  }

  async append(topic: string, messages: readonly { value: Buffer; headers: Record<string, string> }[], timestamp: Date): Promise<ProducedBatch> {
    await this.start();
    // One key for the whole request: the default partitioner then puts every line on the same partition, in order.
    const key = randomUUID();
    const metadata = await this.producer.send({
      topic,
      acks: -1,
      messages: messages.map((message) => ({ key, value: message.value, headers: message.headers, timestamp: String(timestamp.getTime()) })),
    });
    if (metadata.length !== 1 || metadata[0]?.baseOffset === undefined) {
      throw new Error(`expected one partition in the produce answer, got ${metadata.length}`);
    }
    const [only] = metadata;
    return { topic: only!.topicName, partition: only!.partition, baseOffset: BigInt(only!.baseOffset!) };
  }

  async stop(): Promise<void> {
    if (this.connected === undefined) return;
    this.connected = undefined;
    await this.producer.disconnect();
  }
}
