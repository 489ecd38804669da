import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { EventOrigin } from '../../core/component.js';

/** Where the lifecycle's events go; resolves with the offset Kafka acknowledged, from which the record id follows. */
export interface LifecycleEventLog {
  append(value: string, key: string): Promise<EventOrigin>;
  stop(): Promise<void>;
}

/** The modtrail-format header the pipeline's normalizer picks the lifecycle parser by; no client may send it. */
export const lifecycleFormatHeader = { 'modtrail-format': 'modtrail-lifecycle' } as const;

/** Produces lifecycle events to modtrail's own-activity topic (the API topic), acknowledged by every in-sync replica. */
export class KafkaLifecycleLog implements LifecycleEventLog {
  private readonly producer: Producer;
  private connected: Promise<void> | undefined;

  constructor(
    kafka: Kafka,
    private readonly topic: string,
  ) {
    this.producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  }

  async append(value: string, key: string): Promise<EventOrigin> {
    this.connected ??= this.producer.connect();
    await this.connected;
    const metadata = await this.producer.send({ topic: this.topic, acks: -1, messages: [{ key, value, headers: { ...lifecycleFormatHeader } }] });
    const [only] = metadata;
    if (metadata.length !== 1 || only?.baseOffset === undefined) throw new Error(`expected one partition in the produce answer, got ${metadata.length}`);
    return { topic: only.topicName, partition: only.partition, offset: only.baseOffset };
  }

  async stop(): Promise<void> {
    if (this.connected === undefined) return;
    this.connected = undefined;
    await this.producer.disconnect();
  }
}
