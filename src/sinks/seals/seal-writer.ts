import type { Sealer, SettledBatch } from '../../core/component.js';
import { ModtrailError } from '../../core/errors.js';
import type { SealKeyring } from '../../integrity/keys.js';
import type { SealStream } from '../../integrity/seal-format.js';
import { signSealHashed } from '../../integrity/seal.js';
import { PartitionSealer, type SettledOffset } from '../../integrity/sealer.js';
import type { OpenSearchDeadLetterStore } from '../../store/opensearch/dead-letter-store.js';
import { deadLetterId } from '../../store/opensearch/dead-letter-store.js';
import type { OpenSearchSealStore } from '../../store/opensearch/seal-store.js';
import type { Logger } from '../../telemetry/logger.js';

export interface SealCadence {
  /** A partition's pending offsets are sealed at most this long after the first of them settled. */
  sealEveryMs: number;
  /** ...or as soon as this many are pending. */
  sealEveryRecords: number;
}

const streamKey = (stream: SealStream): string => `${stream.topic}\u0000${stream.partition}`;

/**
 * The sealer of `modtrail serve`: one chain per partition, continued from the seals index. It accounts for every
 * settled offset by what is stored (a replayed record's stored copy, never the replay's fresh one), cuts a seal per
 * partition at the cadence, on demand (flush) and at stop, signs it and stores it create-only. It publishes how far
 * each partition is sealed, which is how far the Kafka source may commit.
 */
export class SealWriter implements Sealer {
  private readonly partitions = new Map<string, PartitionSealer>();
  private readonly listeners: (() => void)[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private keyring: SealKeyring | undefined;
  private suspended = false;

  constructor(
    private readonly seals: OpenSearchSealStore,
    private readonly deadLetters: OpenSearchDeadLetterStore,
    private readonly loadKeys: () => Promise<SealKeyring>,
    private readonly cadence: SealCadence,
    private readonly logger: Logger,
    private readonly onFatal: (error: Error) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The public keys (JWKS members) once started. */
  get keys(): SealKeyring | undefined {
    return this.keyring;
  }

  async start(): Promise<void> {
    this.keyring ??= await this.loadKeys();
    this.logger.info({ kid: this.keyring.active.kid, alg: this.keyring.active.alg, keys: this.keyring.publicKeys.length }, 'sealing with key');
    const tick = Math.max(50, Math.min(1000, Math.floor(this.cadence.sealEveryMs / 4)));
    this.timer = setInterval(() => void this.sealDue(), tick);
    this.timer.unref();
  }

  /** Accounts for a settled batch; cuts seals for partitions that reached the record cadence. */
  settled(batch: SettledBatch): Promise<void> {
    return this.serially(async () => {
      const duplicates = batch.records.filter((r) => r.duplicate).map((r) => r.record);
      const stored = await this.seals.storedRecords(duplicates);
      const letters = await this.deadLetters.stored(batch.deadLetters);
      const items: SettledOffset[] = [];
      for (const { record, duplicate } of batch.records) {
        const origin = record.modtrail?.origin;
        if (origin === undefined) throw new ModtrailError('store.rejected', `record ${record.event.id} has no origin and cannot be sealed`);
        if (!duplicate) {
          if (record.event.hash === undefined) throw new ModtrailError('integrity.unhashable', `record ${record.event.id} was stored without event.hash`);
          items.push({ kind: 'record', origin: { topic: origin.topic, partition: origin.partition, offset: origin.offset }, id: record.event.id, hash: record.event.hash, timestamp: record['@timestamp'] });
          continue;
        }
        const copy = stored.get(record.event.id);
        if (copy === undefined) throw new ModtrailError('store.unavailable', `record ${record.event.id} was a replay, but its stored copy cannot be read`);
        items.push({ kind: 'record', ...copy });
      }
      for (const letter of batch.deadLetters) {
        const evidence = letters.get(deadLetterId(letter.event.origin));
        if (evidence === undefined) throw new ModtrailError('store.unavailable', `dead letter ${deadLetterId(letter.event.origin)} cannot be read back from the index`);
        items.push({ kind: 'dead_letter', letter: evidence });
      }
      const touched = new Set<PartitionSealer>();
      const now = this.now();
      for (const item of items) {
        const origin = item.kind === 'record' ? item.origin : item.letter.origin;
        // A batch is nearly always one partition: look its sealer up (and read its chain head) once, not per offset.
        const partition = this.partitions.get(streamKey(origin)) ?? (await this.partition({ topic: origin.topic, partition: origin.partition }));
        // Still full from before this batch: the seal cut for it failed, so this batch fails unless cutting it now works.
        if (!touched.has(partition)) await this.cutFull([partition]);
        partition.add(item, now);
        touched.add(partition);
      }
      const full = [...touched].filter((partition) => partition.pendingCount >= this.cadence.sealEveryRecords);
      if (full.length > 0) this.cutInBackground(full);
    });
  }

  /**
   * Cuts full partitions' seals after the batch that filled them settled: the next batches are fetched and computed
   * meanwhile. Offsets are committed only once sealed; a failed cut leaves them pending, for the next batch.
   */
  private cutInBackground(full: readonly PartitionSealer[]): void {
    void this.serially(() => this.cutFull(full)).catch((error: unknown) =>
      this.logger.warn({ err: error }, 'seal at the record cadence failed; the next batch cuts it again and fails if it cannot'),
    );
  }

  /** Cuts seals until none of these partitions has the record cadence's worth of offsets waiting. */
  private async cutFull(partitions: Iterable<PartitionSealer>): Promise<void> {
    for (const partition of partitions) while (partition.pendingCount >= this.cadence.sealEveryRecords) await this.cut(partition);
  }

  /** Kafka passed over these offsets of a partition without a message to deliver (transaction markers, aborted messages). */
  passedOver(topic: string, partition: number, first: string, last: string): Promise<void> {
    return this.serially(async () => {
      const sealer = await this.partition({ topic, partition });
      sealer.passedOver(BigInt(first), BigInt(last), this.now());
    });
  }

  /** The offset the source may commit for a partition: every offset before it is sealed. */
  committable(topic: string, partition: number): string | undefined {
    return this.partitions.get(streamKey({ topic, partition }))?.committable?.toString();
  }

  /** Called after every stored seal (the source commits then). */
  onSealed(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Seals everything pending in every partition now. */
  flush(): Promise<void> {
    return this.serially(async () => {
      for (const partition of this.partitions.values()) while (partition.hasPending) await this.cut(partition);
    });
  }

  /** A rebalance began: no timed seal until the new assignment is known (another member may own a partition now). */
  suspend(): void {
    this.suspended = true;
  }

  /**
   * A new assignment: pending offsets are dropped and every chain is read again from the index when next used.
   * Nothing is lost: the source committed only sealed offsets, so whoever owns a partition now consumes the unsealed
   * ones again and seals them from the stored documents.
   */
  assigned(): Promise<void> {
    return this.serially(async () => {
      this.partitions.clear();
      this.suspended = false;
    });
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    // Unsealed offsets were not committed, so they are consumed and sealed again at the next start.
    await this.flush().catch((error: unknown) => this.logger.warn({ err: error }, 'sealing at stop failed; the unsealed offsets come again at the next start'));
  }

  private async partition(stream: SealStream): Promise<PartitionSealer> {
    const key = streamKey(stream);
    let sealer = this.partitions.get(key);
    if (sealer === undefined) {
      const head = await this.seals.head(stream);
      sealer = new PartitionSealer(stream, head ?? { sequence: 0, previous: null, nextOffset: undefined });
      this.partitions.set(key, sealer);
      this.logger.info({ stream: `${stream.topic}/${stream.partition}`, sequence: sealer.chain.sequence, next: sealer.chain.nextOffset?.toString() }, head ? 'continuing the seal chain' : 'starting a seal chain');
    }
    return sealer;
  }

  private async cut(partition: PartitionSealer): Promise<void> {
    const keyring = this.keyring;
    if (keyring === undefined) throw new Error('the sealer is not started');
    const seal = partition.cut(new Date(this.now()));
    if (seal === undefined) return;
    const { jws, hash } = await signSealHashed(seal, { kid: keyring.active.kid, privateKey: keyring.active.privateKey, alg: keyring.active.alg });
    try {
      await this.seals.create({ seal, jws, hash, kid: keyring.active.kid, alg: keyring.active.alg });
    } catch (error) {
      // Never fork: a sequence someone else sealed stops the service rather than being sealed twice.
      if (error instanceof ModtrailError && error.code === 'integrity.seal_conflict') this.onFatal(error);
      throw error;
    }
    partition.sealed(seal, hash, this.now());
    this.logger.debug({ stream: `${seal.stream.topic}/${seal.stream.partition}`, sequence: seal.sequence, first: seal.offsets.first, last: seal.offsets.last }, 'sealed');
    for (const listener of this.listeners) listener();
  }

  private async sealDue(): Promise<void> {
    if (this.suspended) return;
    await this.serially(async () => {
      const now = this.now();
      for (const partition of this.partitions.values()) {
        if (partition.openedAt !== undefined && now - partition.openedAt >= this.cadence.sealEveryMs) await this.cut(partition);
      }
    }).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'timed seal failed; trying again at the next tick');
    });
  }

  /** One thing at a time: batches, timed seals and rebalances all move the same chains. */
  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
