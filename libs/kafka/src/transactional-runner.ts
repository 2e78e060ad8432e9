import type { Consumer, EachBatchPayload, Kafka, KafkaMessage, Message, Producer } from 'kafkajs';
import type { PipelineMetrics } from '@meterline/observability';
import { classify, fatalError, type Item, type MeterlineError, type Rejected } from '@meterline/stream';
import { sourceHeaders, type ConsumedRecord, type RecordContext } from './consumed-record';
import { decodeMessages } from './decode-messages';
import { deadLetterHeaders } from './dlq-writer';
import { javaCompatiblePartitioner } from './java-partitioner';
import { classifyKafkaError, isRebalancing } from './kafka-errors';
import type { Log } from './log';
import { encodeEmit, groupByTopic, type EncodedBatch, type Emit } from './producer';
import { sendInRequests } from './send-in-requests';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry';
import type { TopicHandle } from './topic-handle';

/** What one chunk of one partition produced, all of it written in the chunk's transaction. */
export interface TaskOutput {
  readonly emits: readonly Emit[];
  /** Records the task's steps rejected: they go to the input's DLQ. */
  readonly rejected: readonly Rejected<RecordContext>[];
  /** State changes (a changelog), already encoded, committed together with the outputs and the offsets. */
  readonly state?: readonly EncodedBatch[];
}

/** The processing of one input partition, with the state that belongs to it (Kafka Streams: a task). */
export interface PartitionTask<K, V> {
  process(records: readonly Item<ConsumedRecord<K, V>, RecordContext>[]): TaskOutput;
  /**
   * Called every `punctuateIntervalMs` of wall-clock time (Kafka Streams: a wall-clock punctuator), also when no
   * record arrives: to release what waited too long, or to close windows of an idle partition. Its output is
   * committed in a transaction of its own, without moving the offset.
   */
  punctuate?(now: number): TaskOutput;
}

export interface TransactionalRunnerOptions<K, V> {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly input: TopicHandle<K, V>;
  /** Stable across restarts: a partition's producer is `<prefix>-<topic>-<partition>`, which fences a zombie. */
  readonly transactionalIdPrefix: string;
  /**
   * Restores the state of newly assigned partitions, all at once (one read of a changelog, not one per partition).
   * Called after the producers of those partitions fenced their previous owners, so what it reads is final: no
   * transaction of an earlier owner can still commit on top of it.
   */
  prepare?(partitions: readonly number[]): Promise<void>;
  /** Builds the task of a partition (after `prepare`) before its first record is processed. */
  openTask(partition: number): Promise<PartitionTask<K, V>>;
  /** The partition went to another instance: drop its state. */
  closeTask?(partition: number): Promise<void> | void;
  readonly logger: Log;
  readonly metrics?: PipelineMetrics;
  readonly retry?: RetryPolicy;
  readonly chunkSize?: number;
  readonly fromBeginning?: boolean;
  /** How often tasks with a `punctuate` are called; default 1 s. */
  readonly punctuateIntervalMs?: number;
  readonly onFatal: (error: MeterlineError) => void;
}

interface Assigned<K, V> {
  readonly task: PartitionTask<K, V>;
  readonly producer: Producer;
}

/**
 * Exactly-once consume → process → produce (Kafka Streams' EOS): each chunk of a partition is one Kafka transaction
 * holding its outputs, its dead letters, its state changes and the consumer offset after it. Either all of that
 * becomes visible (to read_committed consumers) or none of it, so a crash at any point replays exactly the
 * uncommitted chunk against exactly the committed state.
 *
 * One transactional producer per input partition, named after it: whoever owns the partition next fences a zombie
 * owner on InitProducerId. A failed transaction is fatal rather than retried: the task's in-memory state has already
 * taken the chunk in, and only a restart (restoring state from what was committed) makes the two agree again.
 */
export class TransactionalRunner<K, V> {
  private readonly consumer: Consumer;
  private readonly retry: RetryPolicy;
  private readonly chunkSize: number;
  private readonly tasks = new Map<number, Promise<Assigned<K, V>>>();
  /** Per partition, the work in flight: a chunk and a punctuation of one partition never run at the same time. */
  private readonly locks = new Map<number, Promise<unknown>>();
  private punctuator: NodeJS.Timeout | undefined;
  private readonly stopSignal = new AbortController();
  private state: 'created' | 'running' | 'stopping' | 'stopped' | 'failed' = 'created';
  private joined = false;
  /** The input partitions of the latest assignment. */
  private assignment: readonly number[] = [];
  /**
   * Between kafkajs noticing a rebalance and the new assignment: no punctuation starts then, because a partition may
   * be about to move, and its new owner fences this producer — a punctuation committing then would fail, and with it
   * the instance. The one in flight is awaited before kafkajs rejoins (see handleBatch).
   */
  private rebalancing = false;
  private punctuation: Promise<void> = Promise.resolve();
  /** Per open partition, records behind the high watermark after its latest chunk. */
  private readonly lags = new Map<number, number>();

  constructor(private readonly o: TransactionalRunnerOptions<K, V>) {
    this.retry = o.retry ?? DEFAULT_RETRY;
    this.chunkSize = o.chunkSize ?? 1_000;
    this.consumer = o.kafka.consumer({
      groupId: o.groupId,
      allowAutoTopicCreation: false,
      readUncommitted: false,
      // kafkajs restarts a crashed consumer by itself after a retriable error (a broker outage): welcome while
      // running, but never after stop() or a fatal error, when a late restart would resurrect a consumer nobody owns.
      retry: { restartOnFailure: async () => this.state === 'running' },
    });
    this.consumer.on(this.consumer.events.REBALANCING, () => {
      this.rebalancing = true;
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      // (After resetTasks the assignment is the same, yet nothing is open: opening below covers it.)
      this.joined = true;
      this.rebalancing = false;
      this.assignment = [...(payload.memberAssignment[o.input.name] ?? [])].sort((a, b) => a - b);
      const mine = new Set(this.assignment);
      for (const partition of [...this.tasks.keys()]) if (!mine.has(partition)) void this.close(partition);
      // Opened now, not on their first batch: a partition that gets no new record still has restored state to look
      // after — samples waiting in it, windows its punctuation must close. (A partition moved here after its input
      // ended was never opened, and its state never moved again.)
      const first = this.assignment[0];
      if (first !== undefined && this.state === 'running') this.assigned(first).catch((err: unknown) => this.fail(classify(err)));
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart && this.state === 'running') this.fail(classify(payload.error));
    });
  }

  isHealthy(): boolean {
    return this.state === 'running' && this.joined;
  }

  /** The largest consumer lag (records) of an open partition, as of its latest chunk; 0 with none. */
  get maxLag(): number {
    return Math.max(0, ...this.lags.values());
  }

  /** The input partitions this instance was last assigned (empty before it joined). */
  get assignedPartitions(): readonly number[] {
    return this.assignment;
  }

  async start(): Promise<void> {
    try {
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: [this.o.input.name], fromBeginning: this.o.fromBeginning ?? true });
      this.state = 'running';
      await this.consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (p) => this.handleBatch(p) });
      this.punctuator = setInterval(() => {
        this.punctuation = this.punctuation.then(() => this.punctuateAll());
      }, this.o.punctuateIntervalMs ?? 1_000);
    } catch (err) {
      this.state = 'failed';
      throw classifyKafkaError(err, `starting consumer ${this.o.groupId}`);
    }
  }

  /** Finishes the chunk in flight (its transaction commits), then leaves the group and closes every producer. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    if (this.state !== 'failed') this.state = 'stopping';
    this.stopSignal.abort();
    clearInterval(this.punctuator);
    await this.consumer.disconnect();
    await Promise.all([...this.tasks.keys()].map((p) => this.close(p)));
    if (this.state === 'stopping') this.state = 'stopped';
  }

  private fail(error: MeterlineError): void {
    if (this.state === 'failed') return;
    this.state = 'failed';
    this.o.logger.error({ err: error, code: error.code }, 'transactional runner failed');
    this.o.onFatal(error);
  }

  /** Runs `work` after whatever is in flight for the partition. */
  private serialised<T>(partition: number, work: () => Promise<T>): Promise<T> {
    const next = (this.locks.get(partition) ?? Promise.resolve()).then(work);
    this.locks.set(partition, next.catch(() => undefined));
    return next;
  }

  private async punctuateAll(): Promise<void> {
    if (this.state !== 'running') return;
    for (const [partition, assigned] of this.tasks) {
      if (this.rebalancing) return;
      try {
        await this.serialised(partition, async () => {
          const { task, producer } = await assigned;
          if (!task.punctuate || this.state !== 'running' || this.rebalancing) return;
          const out = task.punctuate(Date.now());
          await this.commit(this.o.input.name, partition, out, [], undefined, producer);
        });
      } catch (err) {
        if (isTransientFailure(err)) {
          await this.resetTasks(err);
          return;
        }
        this.fail(classify(err));
        return;
      }
    }
  }

  /**
   * A punctuation's transaction failed because Kafka is unreachable: its outputs were aborted, but the tasks' memory
   * already moved on (samples released, windows closed). Rather than ending the instance for an outage, every task
   * is dropped — the state is shared across partitions — and reopened from the committed changelog by the next batch
   * or group join, once Kafka is back.
   */
  private async resetTasks(err: unknown): Promise<void> {
    this.o.logger.warn({ err, code: classify(err).code }, 'a punctuation could not commit (Kafka unreachable); tasks reopen from committed state');
    await Promise.all([...this.tasks.keys()].map((p) => this.close(p)));
  }

  private async close(partition: number): Promise<void> {
    await this.locks.get(partition);
    this.locks.delete(partition);
    this.lags.delete(partition);
    const assigned = this.tasks.get(partition);
    this.tasks.delete(partition);
    if (!assigned) return;
    const { producer } = await assigned.catch(() => ({ producer: undefined }));
    await this.o.closeTask?.(partition);
    await producer?.disconnect().catch(() => undefined);
  }

  /**
   * The task of a partition, opened on its first batch together with every other assigned partition not open yet:
   * their producers connect first (InitProducerId fences each partition's previous owner and aborts what it left
   * open), then `prepare` restores them in one go, then each task is built.
   */
  private assigned(partition: number): Promise<Assigned<K, V>> {
    const open = this.tasks.get(partition);
    if (open) return open;
    const opening = [...new Set([partition, ...this.assignment])].filter((p) => !this.tasks.has(p)).sort((a, b) => a - b);
    const fenced = Promise.all(opening.map(async (p) => [p, await this.connectProducer(p)] as const));
    const prepared = fenced.then(async (producers) => {
      await this.o.prepare?.(opening);
      return new Map(producers);
    });
    for (const p of opening) {
      this.tasks.set(
        p,
        prepared.then(async (producers) => ({ producer: producers.get(p) as Producer, task: await this.o.openTask(p) })),
      );
    }
    return this.tasks.get(partition) as Promise<Assigned<K, V>>;
  }

  private async connectProducer(partition: number): Promise<Producer> {
    const producer = this.o.kafka.producer({
      transactionalId: `${this.o.transactionalIdPrefix}-${this.o.input.name}-${partition}`,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: javaCompatiblePartitioner,
      retry: { retries: 10, initialRetryTime: 10, maxRetryTime: 2_000 },
    });
    await producer.connect();
    return producer;
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    try {
      const { task, producer } = await this.assigned(batch.partition);
      for (let start = 0; start < batch.messages.length; start += this.chunkSize) {
        if (!payload.isRunning() || payload.isStale()) return;
        const chunk = batch.messages.slice(start, start + this.chunkSize);
        const last = chunk[chunk.length - 1];
        if (!last) continue;
        const next = (BigInt(last.offset) + 1n).toString();
        await this.serialised(batch.partition, () => this.processChunk(batch.topic, batch.partition, chunk, next, task, producer));
        payload.resolveOffset(last.offset);
        const lag = Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(next)));
        this.lags.set(batch.partition, lag);
        this.o.metrics?.consumerLag.set({ topic: batch.topic, partition: String(batch.partition) }, lag);
        await payload.heartbeat();
      }
    } catch (err) {
      if (this.stopSignal.signal.aborted && this.state !== 'running') return;
      // The group is rebalancing: what was processed is committed, and kafkajs rejoins when this batch returns —
      // after the punctuation in flight, if any, has committed too.
      if (isRebalancing(err)) {
        this.rebalancing = true;
        await this.punctuation;
        throw err;
      }
      const error = classify(err);
      this.fail(error);
      throw error;
    }
  }

  private async processChunk(
    topic: string,
    partition: number,
    messages: KafkaMessage[],
    nextOffset: string,
    task: PartitionTask<K, V>,
    producer: Producer,
  ): Promise<void> {
    const { metrics } = this.o;
    const decoded = await withRetry('decoding', () => decodeMessages(this.o.input, messages), this.retry, { signal: this.stopSignal.signal });
    const rejected: Rejected<RecordContext>[] = [];
    const items: Item<ConsumedRecord<K, V>, RecordContext>[] = [];
    messages.forEach((message, i) => {
      const ctx: RecordContext = { topic, partition, offset: message.offset, message };
      const d = decoded[i];
      if (!d) return;
      if (!d.ok) rejected.push({ ctx, step: 'decode', error: d.error });
      else items.push({ ctx, value: { ...d.value, topic, partition, offset: message.offset, timestamp: Number(message.timestamp), headers: message.headers ?? {} } });
    });

    const out = task.process(items);
    await this.commit(topic, partition, out, rejected, nextOffset, producer);
    if (metrics) {
      const poisoned = rejected.length + out.rejected.length;
      metrics.recordsConsumed.inc({ topic, outcome: 'ok' }, messages.length - poisoned);
      if (poisoned) metrics.recordsConsumed.inc({ topic, outcome: 'poison' }, poisoned);
    }
  }

  /**
   * One transaction: the task's outputs, the dead letters (decode rejects plus the task's own), its state changes,
   * and — for a chunk, not a punctuation — the offset after it.
   */
  private async commit(
    topic: string,
    partition: number,
    out: TaskOutput,
    decodeRejects: readonly Rejected<RecordContext>[],
    nextOffset: string | undefined,
    producer: Producer,
  ): Promise<void> {
    const { input, metrics } = this.o;
    const rejected = [...decodeRejects, ...out.rejected];
    const encoded: { topic: string; message: Message }[] = [];
    for (const e of out.emits) {
      try {
        encoded.push({ topic: e.topic.name, message: encodeEmit(e) });
      } catch (err) {
        // An output that does not fit its schema is a bug in the task, not a property of one input record.
        throw fatalError('OUTPUT_ENCODE_FAILED', `an output of ${input.name} does not fit ${e.topic.name}: ${classify(err).message}`, { cause: err });
      }
    }
    const letters = rejected.map((r) => ({
      topic: input.dlq,
      message: {
        key: r.ctx.message.key,
        value: r.ctx.message.value,
        headers: deadLetterHeaders({
          topic: input.dlq,
          key: r.ctx.message.key,
          value: r.ctx.message.value,
          error: r.error,
          step: r.step,
          source: sourceHeaders(r.ctx),
          ...(r.ctx.message.headers ? { headers: r.ctx.message.headers } : {}),
        }),
      },
    }));
    const batches = [...groupByTopic([...encoded, ...letters]), ...(out.state ?? [])];
    if (nextOffset === undefined && batches.length === 0) return;

    const txn = await producer.transaction();
    try {
      if (batches.length > 0) await sendInRequests(txn, batches);
      if (nextOffset !== undefined) {
        await txn.sendOffsets({ consumerGroupId: this.o.groupId, topics: [{ topic, partitions: [{ partition, offset: nextOffset }] }] });
      }
      await txn.commit();
    } catch (err) {
      await txn.abort().catch(() => undefined);
      throw fatalError(
        'TRANSACTION_FAILED',
        `the transaction of ${topic}[${partition}]${nextOffset ? ` up to ${nextOffset}` : ' (punctuation)'} failed and was aborted; restart to restore the committed state: ${classify(err).message}`,
        { cause: err },
      );
    }
    if (metrics) {
      for (const r of rejected) metrics.dlqRecords.inc({ topic, code: r.error.code });
      for (const e of encoded) metrics.recordsProduced.inc({ topic: e.topic });
    }
  }
}

/** A failed transaction whose cause is an unreachable or unwell cluster, not a fenced producer or a bad record. */
function isTransientFailure(err: unknown): boolean {
  const cause = err instanceof Error && err.cause !== undefined ? err.cause : err;
  return classifyKafkaError(cause, 'committing').retriable;
}
