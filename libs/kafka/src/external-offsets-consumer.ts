import type { Admin, Batch, Consumer, ConsumerConfig, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { classify, type MeterlineError } from '@meterline/stream';
import { classifyKafkaError } from './kafka-errors';
import type { Log } from './log';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry';

/** Where a partition resumes, as the external store (a warehouse) has it: the offset after the last one it holds. */
export interface StoredPosition {
  readonly partition: number;
  readonly nextOffset: string;
}

/** The records of one fetch of one partition, undecoded. */
export interface PartitionBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly KafkaMessage[];
  /**
   * Where the partition goes on after this batch: one past its last offset, counting the transaction markers and
   * aborted records a read_committed consumer never sees (they take offsets too).
   */
  readonly nextOffset: string;
  readonly highWatermark: string;
}

export interface BatchControl {
  /** Keeps the group membership alive while the handler waits (backpressure). Throws while the group rebalances. */
  heartbeat(): Promise<void>;
  /** False once the batch no longer counts: the partition was reassigned, or the consumer is stopping. */
  isCurrent(): boolean;
}

export interface ExternalOffsetsConsumerOptions {
  readonly kafka: Kafka;
  /** The consumer group: named after the service (design doc). */
  readonly groupId: string;
  readonly topics: readonly string[];
  /** The stored positions of one topic; a partition without one starts at the beginning of what Kafka still holds. */
  readPositions(topic: string): Promise<readonly StoredPosition[]>;
  /**
   * The partitions this member owns from now on, called on every (re)join before any of their records arrive. Whatever
   * the caller buffered but did not store is re-read from the stored positions: drop it.
   */
  onAssigned(assignment: ReadonlyMap<string, readonly number[]>): void;
  /** Takes a batch; may wait (heartbeating through `control`) until it has room. Batches of a partition come in order. */
  onBatch(batch: PartitionBatch, control: BatchControl): Promise<void>;
  /**
   * A fetch held only transaction markers or aborted records: nothing to load, but the position moved on, and storing
   * it keeps the stored offsets level with the topic's end.
   */
  onSkipped(topic: string, partition: number, nextOffset: string): void;
  readonly logger: Log;
  /** For reading stored positions and Kafka's earliest offsets; default DEFAULT_RETRY. */
  readonly retry?: RetryPolicy;
  readonly consumerConfig?: Omit<ConsumerConfig, 'groupId'>;
  /** Called once when consumption cannot go on; the service should exit non-zero so it is restarted. */
  readonly onFatal: (error: MeterlineError) => void;
}

type Position =
  /** Assigned; the stored position is being read. */
  | { readonly state: 'pending' }
  /** Sought to `offset`; the first batch fetched from there has not arrived yet. */
  | { readonly state: 'seeking'; readonly offset: string }
  | { readonly state: 'positioned' };

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * A group consumer whose positions live outside Kafka (Kafka's "storing offsets outside Kafka"): the store that holds
 * the results also holds the next offset of every partition, written in the same transaction, and the consumer
 * resumes from there, never from Kafka's committed offsets. Partitions are still assigned by the group protocol.
 *
 * kafkajs has no "partitions assigned" callback that could hold fetching back, so positioning works like this: on
 * every GROUP_JOIN (start, and after every rebalance) all assigned partitions become `pending` and batches for them
 * are discarded unprocessed and unresolved (kafkajs fetches them again); the stored positions are read and each
 * partition is sought there. A seek is pending in kafkajs until the next fetch of that partition applies it: fetch
 * responses for a partition with a pending seek are dropped and batches already handed out report `isStale()`, so
 * the first fresh batch after the seek starts at the sought offset. From then on the partition is `positioned`.
 *
 * Kafka commits (`commitForMonitoring`) only keep lag dashboards meaningful; nothing reads them back.
 */
export class ExternalOffsetsConsumer {
  private readonly consumer: Consumer;
  private readonly admin: Admin;
  private readonly retry: RetryPolicy;
  private readonly stopSignal = new AbortController();
  private readonly positions = new Map<string, Position>();
  /** Errors thrown by a heartbeat: kafkajs's own (a rebalance), handed back to it untouched. */
  private readonly heartbeatErrors = new WeakSet<object>();
  private generation = 0;
  private state: 'created' | 'running' | 'stopping' | 'stopped' | 'failed' = 'created';
  private joined = false;

  constructor(private readonly o: ExternalOffsetsConsumerOptions) {
    this.retry = o.retry ?? DEFAULT_RETRY;
    this.admin = o.kafka.admin();
    this.consumer = o.kafka.consumer({
      allowAutoTopicCreation: false,
      ...o.consumerConfig,
      groupId: o.groupId,
      // Restarts by kafkajs after retriable errors are welcome while running, never after stop() or a fatal error.
      retry: { ...o.consumerConfig?.retry, restartOnFailure: async () => this.state === 'running' },
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => this.assigned(payload.memberAssignment));
    // Emitted for batches that held only markers or aborted records too, which never reach eachBatch.
    this.consumer.on(this.consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize !== 0) return;
      if (this.positions.get(key(payload.topic, payload.partition))?.state !== 'positioned') return;
      this.o.onSkipped(payload.topic, payload.partition, (BigInt(payload.lastOffset) + 1n).toString());
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart && this.state === 'running') this.fail(classify(payload.error));
    });
  }

  /** Running, a member of the group, and every assigned partition sought to its stored offset. */
  isHealthy(): boolean {
    return this.state === 'running' && this.joined && [...this.positions.values()].every((p) => p.state !== 'pending');
  }

  /** Whether records of the partition may be stored now: it is assigned to this member and positioned. */
  owns(topic: string, partition: number): boolean {
    return this.positions.get(key(topic, partition))?.state === 'positioned';
  }

  async start(): Promise<void> {
    try {
      await this.admin.connect();
      await this.consumer.connect();
      // fromBeginning only matters until the stored positions are applied: every partition is sought anyway.
      await this.consumer.subscribe({ topics: [...this.o.topics], fromBeginning: true });
      this.state = 'running';
      await this.consumer.run({
        // Kafka's offsets are not the source of truth: nothing is committed unless commitForMonitoring says so.
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: (payload) => this.handleBatch(payload),
      });
    } catch (err) {
      this.state = 'failed';
      throw classifyKafkaError(err, `starting consumer ${this.o.groupId}`);
    }
  }

  /** Leaves the group after the batch in flight was handed over (the handler should stop waiting: see isCurrent). */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    if (this.state !== 'failed') this.state = 'stopping';
    this.stopSignal.abort();
    await this.consumer.disconnect();
    await this.admin.disconnect();
    if (this.state === 'stopping') this.state = 'stopped';
  }

  /**
   * Commits positions to Kafka, for lag monitoring only, and returns the ones it committed: partitions not assigned to
   * this member (or not sought yet) are left out, and a failed commit (a rebalance, a broker away) commits none. The
   * caller may try the rest again later; nothing depends on them (the stored positions are what counts).
   */
  async commitForMonitoring<T extends { topic: string; partition: number; offset: string }>(offsets: readonly T[]): Promise<readonly T[]> {
    const assigned = offsets.filter((o) => {
      const state = this.positions.get(key(o.topic, o.partition))?.state;
      return state === 'seeking' || state === 'positioned';
    });
    if (assigned.length === 0 || this.state !== 'running') return [];
    try {
      await this.consumer.commitOffsets(assigned.map(({ topic, partition, offset }) => ({ topic, partition, offset })));
      return assigned;
    } catch (err) {
      this.o.logger.debug({ err: classifyKafkaError(err, 'committing offsets for monitoring') }, 'monitoring commit failed; retried later');
      return [];
    }
  }

  private fail(error: MeterlineError): void {
    if (this.state === 'failed') return;
    this.state = 'failed';
    this.o.logger.error({ err: error, code: error.code }, 'external-offsets consumer failed');
    this.o.onFatal(error);
  }

  /** GROUP_JOIN, emitted synchronously by kafkajs after the sync and before the first fetch of the generation. */
  private assigned(memberAssignment: Readonly<Record<string, readonly number[] | undefined>>): void {
    this.joined = true;
    const generation = ++this.generation;
    const assignment = new Map<string, readonly number[]>();
    for (const topic of this.o.topics) assignment.set(topic, [...(memberAssignment[topic] ?? [])]);
    this.positions.clear();
    for (const [topic, partitions] of assignment) for (const p of partitions) this.positions.set(key(topic, p), { state: 'pending' });
    this.o.onAssigned(assignment);
    this.o.logger.info({ assignment: Object.fromEntries(assignment), generation }, 'partitions assigned; seeking to the stored positions');
    void this.seekAll(assignment, generation).catch((err: unknown) => {
      if (this.state === 'running') this.fail(classify(err));
    });
  }

  private async seekAll(assignment: ReadonlyMap<string, readonly number[]>, generation: number): Promise<void> {
    for (const [topic, partitions] of assignment) {
      if (partitions.length === 0) continue;
      const retryOpts = {
        signal: this.stopSignal.signal,
        onRetry: (err: MeterlineError, attempt: number, delayMs: number) =>
          this.o.logger.warn({ code: err.code, attempt, delayMs, topic }, `reading stored positions: ${err.message}`),
      };
      const stored = await withRetry(`reading the stored positions of ${topic}`, () => this.o.readPositions(topic), this.retry, retryOpts);
      const byPartition = new Map(stored.map((s) => [s.partition, s.nextOffset]));
      const missing = partitions.filter((p) => !byPartition.has(p));
      if (missing.length > 0) {
        // Never stored: start at the beginning of what the topic still holds (explicitly, not via Kafka's offsets).
        const ends = await withRetry(
          `reading the earliest offsets of ${topic}`,
          async () => {
            try {
              return await this.admin.fetchTopicOffsets(topic);
            } catch (err) {
              throw classifyKafkaError(err, `fetching offsets of ${topic}`);
            }
          },
          this.retry,
          retryOpts,
        );
        for (const p of missing) byPartition.set(p, ends.find((e) => e.partition === p)?.low ?? '0');
      }
      if (generation !== this.generation || this.state !== 'running') return;
      for (const partition of partitions) {
        const offset = byPartition.get(partition) ?? '0';
        this.consumer.seek({ topic, partition, offset });
        this.positions.set(key(topic, partition), { state: 'seeking', offset });
      }
      this.o.logger.info({ topic, positions: Object.fromEntries(partitions.map((p) => [p, byPartition.get(p)])) }, 'sought to the stored positions');
    }
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const k = key(batch.topic, batch.partition);
    const position = this.positions.get(k);
    if (position === undefined || position.state === 'pending' || payload.isStale() || !payload.isRunning()) return;
    if (position.state === 'seeking' && !this.arrivedAt(batch, position.offset)) {
      this.consumer.seek({ topic: batch.topic, partition: batch.partition, offset: position.offset });
      return;
    }
    this.positions.set(k, { state: 'positioned' });
    const current = this.positions.get(k);
    const control: BatchControl = {
      heartbeat: async () => {
        try {
          await payload.heartbeat();
        } catch (err) {
          if (err !== null && typeof err === 'object') this.heartbeatErrors.add(err);
          throw err;
        }
      },
      isCurrent: () => this.state === 'running' && this.positions.get(k) === current && payload.isRunning() && !payload.isStale(),
    };
    try {
      await this.o.onBatch(
        {
          topic: batch.topic,
          partition: batch.partition,
          messages: batch.messages,
          nextOffset: (BigInt(batch.lastOffset()) + 1n).toString(),
          highWatermark: batch.highWatermark,
        },
        control,
      );
    } catch (err) {
      // A rebalance noticed by a heartbeat: kafkajs rejoins, and the next GROUP_JOIN seeks again.
      if (err !== null && typeof err === 'object' && this.heartbeatErrors.has(err)) throw err;
      if (this.stopSignal.signal.aborted) return;
      const error = classify(err);
      this.fail(error);
      throw error;
    }
    if (control.isCurrent()) payload.resolveOffset(batch.lastOffset());
  }

  /**
   * Whether the first batch after a seek comes from the sought offset. kafkajs applies a seek before the next fetch of
   * the partition, so the fetch starts there; it starts later only when the offsets in between hold no records any
   * more (a fetch of markers only, which never reaches eachBatch, or segments deleted by retention, after which
   * kafkajs restarts at the earliest offset it has). Starting earlier would be a kafkajs change: seek again.
   */
  private arrivedAt(batch: Batch, sought: string): boolean {
    // `fetchedOffset` is the offset the fetch asked for; kafkajs keeps it on the batch but does not type it.
    const fetched = (batch as Batch & { fetchedOffset?: string }).fetchedOffset;
    if (fetched === undefined || fetched === sought) return true;
    if (BigInt(fetched) < BigInt(sought)) return false;
    this.o.logger.info(
      { topic: batch.topic, partition: batch.partition, stored: sought, fetched },
      'resumed after the stored position: the offsets in between hold no records (markers, or deleted by retention)',
    );
    return true;
  }
}
