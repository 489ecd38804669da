import type { DeadLetter, DeadLetterSink } from '../../core/component.js';

/** Writes every dead letter to each sink in turn (the Kafka topic, the index); any failure fails the write. */
export class FanOutDeadLetterSink implements DeadLetterSink {
  constructor(private readonly sinks: readonly DeadLetterSink[]) {}

  async start(): Promise<void> {
    for (const sink of this.sinks) await sink.start();
  }

  async write(letters: readonly DeadLetter[]): Promise<void> {
    for (const sink of this.sinks) await sink.write(letters);
  }

  async stop(): Promise<void> {
    for (const sink of [...this.sinks].reverse()) await sink.stop();
  }
}
