import type { Producer } from 'kafkajs';
import type { DeadLetter, DeadLetterSink } from '../../core/component.js';
import { ModtrailError } from '../../core/errors.js';

/** Header names a dead letter carries besides the original message's own headers. */
export const deadLetterHeaders = {
  code: 'modtrail-dlq-code',
  reason: 'modtrail-dlq-reason',
  stage: 'modtrail-dlq-stage',
  topic: 'modtrail-dlq-source-topic',
  partition: 'modtrail-dlq-source-partition',
  offset: 'modtrail-dlq-source-offset',
  time: 'modtrail-dlq-time',
} as const;

/** Dead letters go to a Kafka topic with the original bytes unchanged and the reason in headers. */
export class KafkaDeadLetterSink implements DeadLetterSink {
  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
  ) {}

  async start(): Promise<void> {
    await this.producer.connect();
  }

  async write(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    const time = new Date().toISOString();
    try {
      await this.producer.send({
        topic: this.topic,
        acks: -1,
        messages: letters.map(({ event, code, reason, stage }) => ({
          key: `${event.origin.topic}/${event.origin.partition}/${event.origin.offset}`,
          value: event.value,
          headers: {
            ...event.headers,
            [deadLetterHeaders.code]: code,
            [deadLetterHeaders.reason]: reason,
            [deadLetterHeaders.stage]: stage,
            [deadLetterHeaders.topic]: event.origin.topic,
            [deadLetterHeaders.partition]: String(event.origin.partition),
            [deadLetterHeaders.offset]: event.origin.offset,
            [deadLetterHeaders.time]: time,
          },
        })),
      });
    } catch (error) {
      throw new ModtrailError('deadletter.failed', `dead-letter write to ${this.topic} failed`, { cause: error });
    }
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
  }
}
