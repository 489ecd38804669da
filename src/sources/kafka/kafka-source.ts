import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { BatchHandler, RawEvent, Source } from '../../core/component.js';
import type { Logger } from '../../telemetry/logger.js';
import type { KafkaConfig } from './config.js';

/** Heartbeats go out while a batch is handled, so a slow store does not get the member evicted. */
const heartbeatEveryMs = 1000;
/** kafkajs's default fetch size per partition, which makes a batch. */
const defaultMaxBytesPerPartition = 1_048_576;

/** How far each partition may be committed when commits follow seals rather than stores (the sealer). */
export interface CommitWatermarks {
  /** The offset to commit: every offset before it is sealed; undefined while none is. */
  committable(topic: string, partition: number): string | undefined;
  onSealed(listener: () => void): void;
  /** Kafka passed over `first`..`last` with nothing to deliver (a fetch of only transaction markers or aborted messages). */
  passedOver(topic: string, partition: number, first: string, last: string): Promise<void>;
  /** Seals everything settled so far. */
  flush(): Promise<void>;
  /** A rebalance began. */
  suspend(): void;
  /** The group has a new assignment. */
  assigned(): Promise<void>;
}

/** A batch of a generation a rebalance ended: it is not settled, its offsets are consumed again (and deduplicated). */
export class AbandonedBatchError extends Error {
  constructor() {
    super('batch abandoned by a rebalance; its offsets are consumed again');
    this.name = 'AbandonedBatchError';
  }
}

/** One partition's batches between fetch and settlement: `tail` settles after all of them, in fetch order. */
interface Lane {
  tail: Promise<void>;
  running: Set<Promise<void>>;
}

/**
 * Consumes the proxy, agent and API-audit topics. An offset is committed only after the handler resolved for the
 * whole batch, that is after every message before it was stored or dead-lettered; with watermarks, only once
 * every message before it is also sealed, so a crash between store and seal replays rather than loses.
 *
 * With watermarks the source does not wait for a batch before fetching the next: up to `inFlightBatches` per
 * partition overlap (one computed while earlier ones are written), each reaching the sealer only after the one
 * before it (its turn). A batch that fails for good fails the service, and the batches after it never settle; a
 * rebalance abandons what is in flight. Neither can move a seal, so neither can move a commit, past an offset
 * that was not stored.
 */
export class KafkaSource implements Source {
  readonly name = 'kafka';
  private consumer: Consumer | undefined;
  private assignment: { topic: string; partition: number }[] = [];
  private readonly committed = new Map<string, string>();
  private inFlight: Promise<void> | undefined;
  private readonly lanes = new Map<string, Lane>();
  /** Every batch started and not yet over, of any generation: stop() waits for them. */
  private readonly running = new Set<Promise<void>>();
  /** Moves at each rebalance; batches of an earlier generation are abandoned at their turn. */
  private generation = 0;
  private stopping = false;
  /** A batch failed for good: nothing more is handled until the service is stopped (and restarted). */
  private halted = false;
  private commitTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly config: KafkaConfig,
    private readonly handle: BatchHandler,
    private readonly logger: Logger,
    private readonly onFatal: (error: Error) => void,
    private readonly watermarks?: CommitWatermarks,
  ) {}

  async start(): Promise<void> {
    const overlapping = this.watermarks !== undefined && this.config.inFlightBatches > 1;
    // Overlapping batches are smaller (kafkajs fetches 1 MB per partition by default), so those in flight hold about what one batch did.
    const consumer = this.kafka.consumer({
      groupId: this.config.groupId,
      sessionTimeout: this.config.sessionTimeoutMs,
      ...(overlapping ? { maxBytesPerPartition: Math.floor(defaultMaxBytesPerPartition / this.config.inFlightBatches) } : {}),
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) {
        this.logger.warn({ err: payload.error }, 'kafka consumer restarting after a retriable error');
      } else {
        this.logger.error({ err: payload.error }, 'kafka consumer crashed');
        this.onFatal(payload.error);
      }
    });
    const watermarks = this.watermarks;
    if (watermarks !== undefined) {
      consumer.on(consumer.events.REBALANCING, () => {
        this.abandonInFlight();
        watermarks.suspend();
      });
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        // Also after a restart kafkajs made without a rebalance: the sealer drops its pending offsets here, and what is in flight is fetched again.
        this.abandonInFlight();
        this.assignment = Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition })));
        this.committed.clear();
        void watermarks.assigned();
      });
      // kafkajs hands no batch over when a fetch held only transaction markers or aborted messages; those offsets are sealed as gaps all the same.
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        if (payload.batchSize === 0 && payload.firstOffset !== null) this.passedOver(payload.topic, payload.partition, payload.firstOffset, payload.lastOffset);
      });
      // A timed seal moves the watermark between batches: commit it then, and again each second in case that failed.
      const commit = () => void this.commitSealed(consumer).catch((error: unknown) => this.logger.warn({ err: error }, 'commit of sealed offsets failed; retried within a second'));
      watermarks.onSealed(commit);
      this.commitTimer = setInterval(commit, 1000);
      this.commitTimer.unref();
    }
    await consumer.connect();
    await consumer.subscribe({ topics: [this.config.topics.proxy, this.config.topics.agent, this.config.topics.api], fromBeginning: this.config.fromBeginning });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        if (this.stopping || this.halted || !isRunning() || isStale() || batch.messages.length === 0) return;
        const events = batch.messages.map((message) => toRawEvent(batch.topic, batch.partition, message));
        const last = batch.messages.at(-1)!.offset;
        // Resolving the last message also moves kafkajs past the transaction markers that end the batch; those are sealed as gaps.
        const trailing = BigInt(batch.lastOffset()) > BigInt(last) ? { first: (BigInt(last) + 1n).toString(), last: batch.lastOffset() } : undefined;
        if (overlapping) {
          if (!(await this.overlap(consumer, batch.topic, batch.partition, events, heartbeat))) return;
          if (!isRunning() || isStale()) return;
          if (trailing !== undefined) this.passedOver(batch.topic, batch.partition, trailing.first, trailing.last);
          resolveOffset(last);
          await this.commitSealed(consumer);
          return;
        }
        const beat = setInterval(() => void heartbeat().catch(() => undefined), heartbeatEveryMs);
        try {
          this.inFlight = this.handle(events);
          await this.inFlight;
        } finally {
          this.inFlight = undefined;
          clearInterval(beat);
        }
        if (trailing !== undefined) this.passedOver(batch.topic, batch.partition, trailing.first, trailing.last);
        resolveOffset(last);
        if (this.watermarks !== undefined) {
          await this.commitSealed(consumer);
          return;
        }
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(trailing?.last ?? last) + 1n).toString() }]);
        this.logger.debug({ topic: batch.topic, partition: batch.partition, committed: last }, 'batch settled and committed');
      },
    });
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    if (consumer === undefined) return;
    this.stopping = true;
    clearInterval(this.commitTimer);
    if (this.watermarks !== undefined) {
      // Seal what is settled and commit it while the consumer is still in the group (kafkajs commits nothing after).
      await this.inFlight?.catch(() => undefined);
      await this.drain();
      try {
        await this.watermarks.flush();
        await this.commitSealed(consumer);
      } catch (error) {
        this.logger.warn({ err: error }, 'sealing at stop failed; the unsealed offsets are consumed again at the next start');
      }
    }
    await consumer.disconnect();
  }

  /**
   * Starts a batch without waiting for it, once its partition has fewer than `inFlightBatches` in flight
   * (backpressure: kafkajs fetches nothing more until this returns). Its turn is the previous batch's settlement.
   */
  private async overlap(consumer: Consumer, topic: string, partition: number, events: RawEvent[], heartbeat: () => Promise<void>): Promise<boolean> {
    const key = `${topic}/${partition}`;
    let lane = this.lanes.get(key);
    if (lane === undefined) {
      lane = { tail: Promise.resolve(), running: new Set() };
      this.lanes.set(key, lane);
    }
    if (lane.running.size >= this.config.inFlightBatches) {
      const beat = setInterval(() => void heartbeat().catch(() => undefined), heartbeatEveryMs);
      try {
        while (lane.running.size >= this.config.inFlightBatches) await Promise.race(lane.running);
      } finally {
        clearInterval(beat);
      }
      // While it waited the service may have begun to stop, or a rebalance may have replaced the lane.
      if (this.stopping || this.lanes.get(key) !== lane) return false;
    }
    const generation = this.generation;
    const first = events[0]?.origin.offset;
    const turn = lane.tail.then(() => {
      if (generation !== this.generation) throw new AbandonedBatchError();
    });
    // Awaited only once the batch is stored: until then its rejection is not unhandled.
    turn.catch(() => undefined);
    const work = this.handle(events, turn);
    lane.tail = work;
    const running: Promise<void> = work
      .then(
        () => void this.commitSealed(consumer).catch((error: unknown) => this.logger.warn({ err: error }, 'commit of sealed offsets failed; retried within a second')),
        (error: unknown) => {
          if (error instanceof AbandonedBatchError || generation !== this.generation) {
            this.logger.debug({ topic, partition }, 'in-flight batch abandoned by a rebalance');
            return;
          }
          // The batches after it never settle (their turn rejects), so nothing past it is sealed or committed.
          this.logger.error({ err: error, topic, partition, first }, 'batch failed; stopping so its offsets are consumed again');
          // Nothing after it may be handled, not even after a rejoin kafkajs makes on its own: the service is failing.
          this.halted = true;
          consumer.pause([this.config.topics.proxy, this.config.topics.agent, this.config.topics.api].map((name) => ({ topic: name })));
          this.onFatal(error instanceof Error ? error : new Error(String(error)));
        },
      )
      .finally(() => {
        lane.running.delete(running);
        this.running.delete(running);
      });
    lane.running.add(running);
    this.running.add(running);
    return true;
  }

  /** Tells the sealer about offsets Kafka skipped once the batches fetched before them settled, unless a rebalance came between; later batches need not wait. */
  private passedOver(topic: string, partition: number, first: string, last: string): void {
    const watermarks = this.watermarks;
    if (watermarks === undefined || this.halted || this.stopping) return;
    const generation = this.generation;
    const lane = this.lanes.get(`${topic}/${partition}`);
    const after = lane?.tail ?? Promise.resolve();
    const noted = after.then(async () => {
      if (generation !== this.generation) throw new AbandonedBatchError();
      await watermarks.passedOver(topic, partition, first, last);
    });
    noted.catch((error: unknown) => {
      if (error instanceof AbandonedBatchError || generation !== this.generation) return;
      this.logger.warn({ err: error, topic, partition, first, last }, 'could not note offsets Kafka passed over; they are sealed when a later message arrives');
    });
  }

  /** Batches in flight now never reach the sealer; their offsets are consumed again from the last commit. */
  private abandonInFlight(): void {
    this.generation++;
    this.lanes.clear();
  }

  /** Waits until no batch is in flight (each settles, fails or is abandoned). */
  private async drain(): Promise<void> {
    await Promise.all([...this.running]);
  }

  /** Commits each assigned partition up to its sealed watermark, when it moved. */
  private async commitSealed(consumer: Consumer): Promise<void> {
    if (this.consumer !== consumer && !this.stopping) return;
    const offsets: { topic: string; partition: number; offset: string }[] = [];
    for (const { topic, partition } of this.assignment) {
      const offset = this.watermarks?.committable(topic, partition);
      if (offset === undefined || this.committed.get(`${topic}/${partition}`) === offset) continue;
      offsets.push({ topic, partition, offset });
    }
    if (offsets.length === 0) return;
    await consumer.commitOffsets(offsets);
    for (const { topic, partition, offset } of offsets) this.committed.set(`${topic}/${partition}`, offset);
    this.logger.debug({ offsets }, 'sealed offsets committed');
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
