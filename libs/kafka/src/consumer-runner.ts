import type { Consumer, ConsumerConfig, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { PipelineMetrics } from '@meterline/observability';
import { classify, type Item, type MeterlineError, type Pipeline, type Rejected } from '@meterline/stream';
import { sourceHeaders, type ConsumedRecord, type RecordContext } from './consumed-record';
import { decodeMessages } from './decode-messages';
import type { DeadLetter, DlqWriter } from './dlq-writer';
import { classifyKafkaError, isRebalancing } from './kafka-errors';
import type { Log } from './log';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry';
import type { Sink } from './sink';
import type { TopicHandle } from './topic-handle';

export interface ConsumerRunnerOptions<K, V, O> {
  readonly kafka: Kafka;
  /** The consumer group: named after the service (design doc). */
  readonly groupId: string;
  readonly input: TopicHandle<K, V>;
  readonly pipeline: Pipeline<ConsumedRecord<K, V>, O, RecordContext>;
  readonly sink: Sink<O>;
  readonly dlq: DlqWriter;
  readonly logger: Log;
  readonly metrics?: PipelineMetrics;
  readonly retry?: RetryPolicy;
  /** Records handled (and committed) together; a kafkajs batch is cut into chunks of at most this many. */
  readonly chunkSize?: number;
  /** Where a group with no committed offset starts. */
  readonly fromBeginning?: boolean;
  readonly partitionsConsumedConcurrently?: number;
  readonly consumerConfig?: Omit<ConsumerConfig, 'groupId'>;
  /**
   * Called once when the runner cannot go on (a bug, or a transient failure that outlived its retries). The service
   * should shut down with a non-zero exit so that the orchestrator restarts it: failing loudly beats a silent stall.
   */
  readonly onFatal: (error: MeterlineError) => void;
}

export type RunnerState = 'created' | 'running' | 'stopping' | 'stopped' | 'failed';

/**
 * Consumes a topic batch by batch: decode → pipeline → sink → dead letters → commit.
 *
 * Commit rule: an offset is committed only after every record before it was either written by the sink or written
 * to the DLQ, so a crash at any point replays (never loses) records: at-least-once into the sink.
 *
 * Retry rule: only transient failures are retried, and only the I/O part (decoding's registry lookups, the sink, the
 * DLQ, the commit) — the pipeline runs exactly once per record, so stateful steps never see a record twice.
 */
export class ConsumerRunner<K, V, O> {
  private readonly consumer: Consumer;
  private readonly retry: RetryPolicy;
  private readonly chunkSize: number;
  private readonly stopSignal = new AbortController();
  private currentState: RunnerState = 'created';
  private joined = false;

  constructor(private readonly o: ConsumerRunnerOptions<K, V, O>) {
    this.retry = o.retry ?? DEFAULT_RETRY;
    this.chunkSize = o.chunkSize ?? 1_000;
    this.consumer = o.kafka.consumer({
      allowAutoTopicCreation: false,
      ...o.consumerConfig,
      groupId: o.groupId,
      // kafkajs restarts a crashed consumer by itself after a retriable error (a broker outage): welcome while
      // running, but never after stop() or a fatal error, when a late restart would resurrect a consumer nobody owns.
      retry: { ...o.consumerConfig?.retry, restartOnFailure: async () => this.currentState === 'running' },
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => {
      this.joined = true;
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      // kafkajs restarts by itself after retriable errors; anything else has stopped consumption for good.
      if (!payload.restart && this.currentState === 'running') this.fail(classify(payload.error));
    });
  }

  get state(): RunnerState {
    return this.currentState;
  }

  /** Running and a member of its group (possibly with no partitions, when instances outnumber partitions). */
  isHealthy(): boolean {
    return this.currentState === 'running' && this.joined;
  }

  async start(): Promise<void> {
    try {
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: [this.o.input.name], fromBeginning: this.o.fromBeginning ?? true });
      this.currentState = 'running';
      await this.consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.o.partitionsConsumedConcurrently ?? 1,
        eachBatch: (payload) => this.handleBatch(payload),
      });
    } catch (err) {
      this.currentState = 'failed';
      throw classifyKafkaError(err, `starting consumer ${this.o.groupId}`);
    }
  }

  /** Finishes the chunk in flight, commits it, leaves the group and disconnects. */
  async stop(): Promise<void> {
    if (this.currentState === 'stopped') return;
    if (this.currentState !== 'failed') this.currentState = 'stopping';
    this.stopSignal.abort();
    await this.consumer.disconnect();
    if (this.currentState === 'stopping') this.currentState = 'stopped';
  }

  private fail(error: MeterlineError): void {
    if (this.currentState === 'failed') return;
    this.currentState = 'failed';
    this.o.logger.error({ err: error, code: error.code }, 'consumer runner failed');
    this.o.onFatal(error);
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    try {
      for (let start = 0; start < batch.messages.length; start += this.chunkSize) {
        if (!payload.isRunning() || payload.isStale()) return;
        const chunk = batch.messages.slice(start, start + this.chunkSize);
        await this.processChunk(batch.topic, batch.partition, chunk);
        const last = chunk[chunk.length - 1];
        if (!last) continue;
        payload.resolveOffset(last.offset);
        const next = (BigInt(last.offset) + 1n).toString();
        await this.commit(batch.topic, batch.partition, next, payload);
        this.o.metrics?.consumerLag.set(
          { topic: batch.topic, partition: String(batch.partition) },
          Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(next))),
        );
        await payload.heartbeat();
      }
    } catch (err) {
      // A shutdown interrupting a backoff is not a failure: uncommitted records are simply consumed again later.
      if (this.stopSignal.signal.aborted) return;
      // The group is rebalancing: what was handled is committed, and kafkajs rejoins when this batch returns.
      if (isRebalancing(err)) throw err;
      const error = classify(err);
      this.fail(error);
      throw error;
    }
  }

  private async processChunk(topic: string, partition: number, messages: KafkaMessage[]): Promise<void> {
    const { pipeline, metrics } = this.o;
    const retryOpts = {
      signal: this.stopSignal.signal,
      onRetry: (err: MeterlineError, attempt: number, delayMs: number) => {
        metrics?.batchRetries.inc({ topic });
        this.o.logger.warn({ code: err.code, attempt, delayMs, topic, partition }, `retrying: ${err.message}`);
      },
    };
    const ctxs: RecordContext[] = messages.map((message) => ({ topic, partition, offset: message.offset, message }));
    metrics?.batchSize.observe(messages.length);

    const decoded = await withRetry('decoding', () => decodeMessages(this.o.input, messages), this.retry, retryOpts);
    const items: Item<ConsumedRecord<K, V>, RecordContext>[] = [];
    const deadLetters: DeadLetter[] = [];
    ctxs.forEach((ctx, i) => {
      const d = decoded[i];
      if (!d) return;
      if (!d.ok) {
        deadLetters.push(this.deadLetter({ ctx, step: 'decode', error: d.error }));
        return;
      }
      items.push({
        ctx,
        value: { ...d.value, topic, partition, offset: ctx.offset, timestamp: Number(ctx.message.timestamp), headers: ctx.message.headers ?? {} },
      });
    });

    const result = pipeline.runBatch(items, (step, records, seconds) => {
      if (records > 0) metrics?.recordProcessingSeconds.observe({ step }, seconds / records);
    });
    const rejected = await withRetry('writing outputs', () => this.o.sink.write(result.outputs), this.retry, retryOpts);
    for (const r of [...result.poisoned, ...rejected]) deadLetters.push(this.deadLetter(r));
    await withRetry('writing dead letters', () => this.o.dlq.write(deadLetters), this.retry, retryOpts);

    if (metrics) {
      const poisoned = deadLetters.length;
      const skipped = result.skipped.length;
      metrics.recordsConsumed.inc({ topic, outcome: 'ok' }, messages.length - poisoned - skipped);
      if (skipped) metrics.recordsConsumed.inc({ topic, outcome: 'skipped' }, skipped);
      if (poisoned) metrics.recordsConsumed.inc({ topic, outcome: 'poison' }, poisoned);
      for (const d of deadLetters) metrics.dlqRecords.inc({ topic, code: d.error.code });
    }
  }

  private deadLetter(r: Rejected<RecordContext>): DeadLetter {
    return {
      topic: this.o.input.dlq,
      key: r.ctx.message.key,
      value: r.ctx.message.value,
      error: r.error,
      step: r.step,
      source: sourceHeaders(r.ctx),
      ...(r.ctx.message.headers ? { headers: r.ctx.message.headers } : {}),
    };
  }

  private async commit(topic: string, partition: number, offset: string, payload: EachBatchPayload): Promise<void> {
    await withRetry(
      'committing offsets',
      async () => {
        try {
          await this.consumer.commitOffsets([{ topic, partition, offset }]);
        } catch (err) {
          // Lost the partition in a rebalance: its new owner resumes from the last commit (at-least-once).
          if (payload.isStale() || !payload.isRunning()) return;
          throw classifyKafkaError(err, 'committing offsets');
        }
      },
      this.retry,
      { signal: this.stopSignal.signal },
    );
  }
}
