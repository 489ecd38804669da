import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { BatchHandler, RawEvent, Source } from '../../core/component.js';
import type { Logger } from '../../telemetry/logger.js';
import type { KafkaConfig } from './config.js';

/** Heartbeats go out while a batch is handled, so a slow store does not get the member evicted. */
const heartbeatEveryMs = 1000;

/**
 * Consumes the proxy and agent topics. An offset is committed only after the handler resolved for the
 * whole batch, that is after every message before it was stored or dead-lettered.
 */
export class KafkaSource implements Source {
  readonly name = 'kafka';
  private consumer: Consumer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly config: KafkaConfig,
    private readonly handle: BatchHandler,
    private readonly logger: Logger,
    private readonly onFatal: (error: Error) => void,
  ) {}

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: this.config.groupId, sessionTimeout: this.config.sessionTimeoutMs });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) {
        this.logger.warn({ err: payload.error }, 'kafka consumer restarting after a retriable error');
      } else {
        this.logger.error({ err: payload.error }, 'kafka consumer crashed');
        this.onFatal(payload.error);
      }
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [this.config.topics.proxy, this.config.topics.agent], fromBeginning: this.config.fromBeginning });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        if (!isRunning() || isStale() || batch.messages.length === 0) return;
        const events = batch.messages.map((message) => toRawEvent(batch.topic, batch.partition, message));
        const beat = setInterval(() => void heartbeat().catch(() => undefined), heartbeatEveryMs);
        try {
          await this.handle(events);
        } finally {
          clearInterval(beat);
        }
        const last = batch.messages.at(-1)!.offset;
        resolveOffset(last);
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
        this.logger.debug({ topic: batch.topic, partition: batch.partition, committed: last }, 'batch settled and committed');
      },
    });
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    await consumer?.disconnect();
  }
}

function toRawEvent(topic: string, partition: number, message: KafkaMessage): RawEvent {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value === undefined) continue;
    headers[name] = (Array.isArray(value) ? value.at(-1) : value)?.toString() ?? '';
  }
  return {
    value: message.value ?? Buffer.alloc(0),
    headers,
    origin: { topic, partition, offset: message.offset },
    receivedAt: new Date(Number(message.timestamp)),
  };
}
