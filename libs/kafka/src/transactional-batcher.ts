import type { Kafka, Producer, Transaction } from 'kafkajs';
import { transientError } from '@meterline/stream';
import { javaCompatiblePartitioner } from './java-partitioner';
import { classifyKafkaError } from './kafka-errors';
import type { Log } from './log';
import { sendInRequests } from './send-in-requests';
import type { EncodedBatch } from './producer';

export interface TransactionalBatcherOptions {
  /** Unique per live process (a second producer with the same id fences the first); each producer appends `-<n>`. */
  readonly transactionalId: string;
  /** How long the first request of an idle moment waits for company before its transaction starts. */
  readonly lingerMs?: number;
  /** A transaction takes at most this many messages; the rest wait for the next one. */
  readonly maxBatchMessages?: number;
  /** Upper bound for one transaction; past it the callers get a transient error (and nothing becomes visible). */
  readonly transactionTimeoutMs?: number;
  /**
   * Transactions in flight at once, one producer each. More than one lowers latency under concurrent load, but two
   * sends may then commit in the other order: keep 1 where the order of records matters (replaying a file).
   */
  readonly concurrency?: number;
  readonly logger?: Log;
}

interface Pending {
  readonly batches: readonly EncodedBatch[];
  readonly messages: number;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/** One transactional producer; it runs one transaction at a time. */
interface Slot {
  readonly transactionalId: string;
  producer: Producer | undefined;
  connecting: Promise<Producer> | undefined;
  /** The last transaction started on this producer, settled or not (a timed-out one may still be running). */
  previous: Promise<void>;
  busy: boolean;
}

/**
 * Coalesces concurrent sends into Kafka transactions: whatever callers queue while a transaction runs goes into the
 * next, so many small requests become few produce calls. Each caller's messages are all visible (to read_committed
 * consumers, which ours are) or none are: a caller is resolved only after the commit, and rejected — with a transient
 * error, so an HTTP client can be told to retry — when the transaction failed and was aborted. Nothing half-written.
 *
 * Transactions need the idempotent producer, which kafkajs would retry forever; its retries are bounded here so an
 * outage fails the transaction within seconds instead of stalling every caller.
 */
export class TransactionalBatcher {
  private readonly slots: Slot[];
  private queue: Pending[] = [];
  private queuedMessages = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private committed = { transactions: 0, messages: 0 };
  private readonly lingerMs: number;
  private readonly maxBatchMessages: number;
  private readonly timeoutMs: number;
  private readonly settled: Set<Promise<void>> = new Set();

  constructor(
    private readonly kafka: Kafka,
    private readonly options: TransactionalBatcherOptions,
  ) {
    this.lingerMs = options.lingerMs ?? 2;
    this.maxBatchMessages = options.maxBatchMessages ?? 20_000;
    this.timeoutMs = options.transactionTimeoutMs ?? 15_000;
    this.slots = Array.from({ length: Math.max(1, options.concurrency ?? 1) }, (_, i) => ({
      transactionalId: `${options.transactionalId}-${i}`,
      producer: undefined,
      connecting: undefined,
      previous: Promise.resolve(),
      busy: false,
    }));
  }

  /** Connects eagerly (start-up), so the first request does not pay for InitProducerId. */
  async connect(): Promise<void> {
    await Promise.all(this.slots.map((slot) => this.ensureProducer(slot)));
  }

  /** Resolves once every message of `batches` is committed; rejects if their transaction was aborted. */
  send(batches: readonly EncodedBatch[]): Promise<void> {
    if (this.closed) return Promise.reject(transientError('PRODUCER_CLOSED', 'the producer is shutting down'));
    const messages = batches.reduce((n, b) => n + b.messages.length, 0);
    if (messages === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ batches, messages, resolve, reject });
      this.queuedMessages += messages;
      this.schedule(false);
    });
  }

  /** Committed so far: how well concurrent callers were coalesced (messages per transaction). */
  get stats(): { readonly transactions: number; readonly messages: number } {
    return this.committed;
  }

  /** Commits what is queued, then disconnects. */
  async disconnect(): Promise<void> {
    this.closed = true;
    this.schedule(true);
    while (this.settled.size > 0 || this.queue.length > 0) {
      await Promise.all([...this.settled]);
      this.schedule(true);
    }
    await Promise.all(this.slots.map((slot) => this.dropProducer(slot)));
  }

  /**
   * Starts transactions on free producers: at once when a transaction's worth is queued (or on `now`), else after the
   * linger. Under load a producer finishing its transaction picks the queue up at once: that transaction was the linger.
   */
  private schedule(now: boolean): void {
    while (this.queue.length > 0) {
      const slot = this.slots.find((s) => !s.busy);
      if (!slot) return;
      if (!now && !this.closed && this.queuedMessages < this.maxBatchMessages) {
        this.timer ??= setTimeout(() => {
          this.timer = undefined;
          this.schedule(true);
        }, this.lingerMs);
        return;
      }
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.flushOn(slot, this.take());
    }
  }

  private flushOn(slot: Slot, callers: Pending[]): void {
    slot.busy = true;
    const done: Promise<void> = this.commitTogether(slot, callers).finally(() => {
      slot.busy = false;
      this.settled.delete(done);
      this.schedule(true);
    });
    this.settled.add(done);
  }

  /** Whole callers only, up to the size bound (a single oversized caller still goes alone). */
  private take(): Pending[] {
    const taken: Pending[] = [];
    let messages = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0] as Pending;
      if (taken.length > 0 && messages + next.messages > this.maxBatchMessages) break;
      taken.push(next);
      messages += next.messages;
      this.queue.shift();
    }
    this.queuedMessages -= messages;
    return taken;
  }

  private async commitTogether(slot: Slot, callers: Pending[]): Promise<void> {
    if (callers.length === 0) return;
    const attempt = { abandoned: false };
    const work = this.transact(slot, mergeByTopic(callers.flatMap((c) => c.batches)), attempt);
    // A transaction that outlives its callers' patience must not let the next one start early on its producer, nor
    // commit behind their back: `abandoned` turns its commit into an abort.
    slot.previous = work.catch(() => undefined);
    try {
      await withTimeout(work, this.timeoutMs, () => (attempt.abandoned = true));
      this.committed = {
        transactions: this.committed.transactions + 1,
        messages: this.committed.messages + callers.reduce((n, c) => n + c.messages, 0),
      };
      for (const c of callers) c.resolve();
    } catch (err) {
      const error = classifyKafkaError(err, 'producing in a transaction');
      this.options.logger?.warn({ code: error.code, callers: callers.length }, `transaction failed: ${error.message}`);
      const reported = error.kind === 'fatal' ? error : transientError('KAFKA_UNAVAILABLE', error.message, { cause: error });
      for (const c of callers) c.reject(reported);
    }
  }

  private async transact(slot: Slot, topicMessages: EncodedBatch[], attempt: { abandoned: boolean }): Promise<void> {
    await slot.previous;
    const producer = await this.ensureProducer(slot);
    let txn: Transaction | undefined;
    try {
      txn = await producer.transaction();
      await sendInRequests(txn, topicMessages);
      if (attempt.abandoned) throw transientError('KAFKA_TIMEOUT', 'transaction abandoned after its timeout');
      await txn.commit();
    } catch (err) {
      // Abort so none of it becomes visible. If even that fails (broker gone), drop the producer: the next
      // transaction starts from a fresh InitProducerId, which also fences anything this one left open.
      if (txn?.isActive()) await txn.abort().catch(() => this.dropProducer(slot));
      else await this.dropProducer(slot);
      throw err;
    }
  }

  private ensureProducer(slot: Slot): Promise<Producer> {
    if (slot.producer) return Promise.resolve(slot.producer);
    slot.connecting ??= (async () => {
      const producer = this.kafka.producer({
        transactionalId: slot.transactionalId,
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        transactionTimeout: this.timeoutMs * 2,
        // Right after a commit the coordinator is still writing its markers, and the next transaction's first
        // AddPartitionsToTxn is answered CONCURRENT_TRANSACTIONS (retriable). Java's producer retries that within
        // ~20 ms; kafkajs waits initialRetryTime, so it starts small (a 200 ms start put 200 ms into p99).
        // Exponential growth still gives an outage several seconds before the transaction fails.
        retry: { retries: 10, initialRetryTime: 10, maxRetryTime: 2_000 },
        createPartitioner: javaCompatiblePartitioner,
      });
      try {
        await producer.connect();
      } catch (err) {
        throw classifyKafkaError(err, 'connecting the transactional producer');
      }
      slot.producer = producer;
      return producer;
    })().finally(() => {
      slot.connecting = undefined;
    });
    return slot.connecting;
  }

  private async dropProducer(slot: Slot): Promise<void> {
    const old = slot.producer;
    slot.producer = undefined;
    await old?.disconnect().catch(() => undefined);
  }
}

function mergeByTopic(batches: readonly EncodedBatch[]): EncodedBatch[] {
  const byTopic = new Map<string, EncodedBatch['messages']>();
  for (const b of batches) {
    const list = byTopic.get(b.topic);
    if (list) list.push(...b.messages);
    else byTopic.set(b.topic, [...b.messages]);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(transientError('KAFKA_TIMEOUT', `no commit within ${ms} ms`));
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
