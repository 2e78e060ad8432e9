import { type BatchControl, type DeadLetter, type DlqWriter, type Log, type RetryPolicy, withRetry } from '@meterline/kafka';
import type { PipelineMetrics } from '@meterline/observability';
import { classify, type MeterlineError } from '@meterline/stream';
import type { TableRecords, Warehouse } from '@meterline/warehouse';
import type { Feed } from './feeds';
import { newestEventTime } from './lag';
import type { LoaderMetrics } from './loader-metrics';
import { type BatchLimits, MicroBatch, type NextOffset } from './micro-batch';
import { type LoadItem, type LoadRecord, splitPoison } from './pipeline';
import type { WarehouseGuard } from './warehouse-guard';

export interface TableLoaderOptions {
  readonly feed: Feed;
  readonly warehouse: Warehouse;
  readonly guard: WarehouseGuard;
  readonly dlq: DlqWriter;
  readonly dlqTopicOf: (topic: string) => string;
  /** The consumer group whose offsets each load stores. */
  readonly group: string;
  readonly limits: BatchLimits;
  readonly metrics: { readonly loader: LoaderMetrics; readonly pipeline: PipelineMetrics };
  readonly log: Log;
  /** For the dead-letter topic (Kafka, not the warehouse). */
  readonly dlqRetry: RetryPolicy;
  /** Aborted at shutdown: backoffs end early, and a load failing then is left for the next start. */
  readonly signal: AbortSignal;
  /** Told the positions each load stored (Kafka monitoring commits, consumer lag). */
  readonly onLoaded: (offsets: readonly NextOffset[]) => void;
  readonly onFatal: (error: MeterlineError) => void;
  readonly now?: () => number;
}

/** How often a waiting fetch heartbeats: well inside kafkajs's default 30 s session. */
const HEARTBEAT_EVERY_MS = 3_000;

/**
 * The micro-batches of one table: one filling, at most one loading. A load writes the dead letters first (acks from
 * all replicas), then the rows and the positions of every partition the batch came from in one warehouse
 * transaction, so a crash at any point re-reads the batch from the stored positions and the warehouse skips what it
 * already holds. While one load runs the next batch fills; when it is full the fetch that wants more room waits, and
 * so consumption pauses, also through a warehouse outage (the guard retries the load meanwhile).
 */
export class TableLoader {
  private filling = new MicroBatch<LoadRecord, DeadLetter>();
  private loading: Promise<void> | undefined;
  private waiters: (() => void)[] = [];
  private failed = false;
  private closed = false;

  constructor(private readonly o: TableLoaderOptions) {}

  get table(): string {
    return this.o.feed.table;
  }

  /**
   * Takes the items of one fetch of one partition, as many at a time as the batch has room for. Returns early (the
   * rest is read again from the stored position) when the fetch stops counting: a rebalance, or shutdown.
   */
  async admit(topic: string, partition: number, items: readonly LoadItem[], nextOffset: string, control: BatchControl): Promise<void> {
    let taken = 0;
    while (taken < items.length) {
      if (this.failed || this.closed || !control.isCurrent()) return;
      const rest = taken === 0 ? items : items.slice(taken);
      const n = this.filling.fitting(rest, this.o.limits);
      if (n === 0) {
        this.load();
        await this.room(control);
        continue;
      }
      const whole = n === rest.length;
      this.filling.add(topic, partition, whole ? rest : rest.slice(0, n), whole ? nextOffset : undefined, this.now());
      taken += n;
      const reason = this.filling.flushReason(this.o.limits, this.now());
      if (reason === 'rows' || reason === 'bytes') this.load();
    }
  }

  /** A fetch with no records (transaction markers only) still moves the partition's stored position. */
  advance(topic: string, partition: number, nextOffset: string): void {
    if (!this.failed) this.filling.advance(topic, partition, nextOffset, this.now());
  }

  /** Loads the filling batch once it waited long enough; called on a timer. */
  tick(): void {
    if (this.filling.flushReason(this.o.limits, this.now()) !== undefined) this.load();
  }

  /**
   * Forgets what was taken but not loaded: after a rebalance every partition is re-read from its stored position.
   * A load in flight finishes; the warehouse keeps whatever a new owner loads first from being written twice.
   */
  reset(): void {
    this.filling = new MicroBatch();
    this.wake();
  }

  /** Shutdown: takes nothing more (a waiting fetch returns now), so that drain() loads a final set. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  /** Resolves when no load is in flight (failures included: they are reported through onFatal). */
  async settled(): Promise<void> {
    await this.loading;
  }

  /** Loads everything taken so far (shutdown); returns once nothing is left or loading failed. */
  async drain(): Promise<void> {
    while (!this.failed && (this.loading !== undefined || !this.filling.isEmpty)) {
      this.load();
      await this.loading;
    }
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }

  /** Starts loading the filling batch, unless a load is in flight (the end of that one looks again). */
  private load(): void {
    if (this.failed || this.loading !== undefined || this.filling.isEmpty) return;
    const batch = this.filling;
    this.filling = new MicroBatch();
    this.loading = this.loadBatch(batch).then(
      () => {
        this.loading = undefined;
        this.wake();
        const reason = this.filling.flushReason(this.o.limits, this.now());
        if (reason === 'rows' || reason === 'bytes') this.load();
      },
      (err: unknown) => {
        this.loading = undefined;
        const error = classify(err);
        if (this.o.signal.aborted && error.kind === 'transient') {
          this.o.log.warn({ table: this.table, code: error.code }, 'shutting down during a warehouse outage: the batch is read again at the next start');
        } else {
          this.o.onFatal(error);
        }
        this.failed = true;
        this.wake();
      },
    );
  }

  private async loadBatch(batch: MicroBatch<LoadRecord, DeadLetter>): Promise<void> {
    const { feed, warehouse, metrics } = this.o;
    const table = feed.table;
    const started = performance.now();
    const records = batch.records as unknown as readonly TableRecords[typeof table][];
    const poison = warehouse.poisonRecords({ table, records });
    const { good, letters } = splitPoison(batch.records, poison, this.o.dlqTopicOf);
    const deadLetters = [...batch.letters, ...letters];
    if (deadLetters.length > 0) {
      await withRetry('writing dead letters', () => this.o.dlq.write(deadLetters), this.o.dlqRetry, { signal: this.o.signal });
    }
    const rows = good as unknown as readonly TableRecords[typeof table][];
    const result = await this.o.guard.run(`loading ${table}`, () =>
      warehouse.writeBatch({ table, records: rows }, { group: this.o.group, offsets: batch.offsets }),
    );

    metrics.loader.loadSeconds.observe({ table }, (performance.now() - started) / 1000);
    metrics.loader.batchRows.observe({ table }, batch.rows);
    metrics.loader.rowsLoaded.inc({ table }, result.loaded);
    metrics.loader.loaded(table, newestEventTime(rows, (r) => feed.eventTime(r)));
    const topic = feed.topic.name;
    for (const letter of deadLetters) {
      metrics.loader.rowsRejected.inc({ table, reason: letter.error.code });
      metrics.pipeline.dlqRecords.inc({ topic: letter.source['topic'] ?? topic, code: letter.error.code });
    }
    countConsumed(metrics.pipeline, batch, result, deadLetters);
    this.o.onLoaded(batch.offsets);
  }

  /** Waits until a load ends (or something else changed), heartbeating so the group keeps this member. */
  private async room(control: BatchControl): Promise<void> {
    const woken = new Promise<void>((resolve) => this.waiters.push(resolve));
    let timer: NodeJS.Timeout | undefined;
    const beat = new Promise<void>((resolve) => (timer = setTimeout(resolve, HEARTBEAT_EVERY_MS)));
    await Promise.race([woken, beat]);
    clearTimeout(timer);
    if (control.isCurrent()) await control.heartbeat();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** records_consumed_total by source topic: loaded, skipped (a re-delivery the warehouse already held) and poison. */
function countConsumed(
  pipeline: PipelineMetrics,
  batch: MicroBatch<LoadRecord, DeadLetter>,
  result: { readonly loaded: number; readonly skipped: number },
  deadLetters: readonly DeadLetter[],
): void {
  const topics = new Set(batch.offsets.map((o) => o.topic));
  // One topic per table today; with several, the split of loaded and skipped per topic is not known, so it goes to the first.
  const [topic] = topics;
  if (topic === undefined) return;
  if (result.loaded > 0) pipeline.recordsConsumed.inc({ topic, outcome: 'ok' }, result.loaded);
  if (result.skipped > 0) pipeline.recordsConsumed.inc({ topic, outcome: 'skipped' }, result.skipped);
  if (deadLetters.length > 0) pipeline.recordsConsumed.inc({ topic, outcome: 'poison' }, deadLetters.length);
}
