import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { TableName } from '@meterline/warehouse';
import { lagSeconds } from './lag';

/** dwh-loader's own series, next to the shared pipeline metrics (records_consumed_total, dlq_records_total, ...). */
export interface LoaderMetrics {
  readonly rowsLoaded: Counter<'table'>;
  /** Labels: table, reason (the error code: DECODE_*, WAREHOUSE_ROW_CONVERSION, ...). */
  readonly rowsRejected: Counter<'table' | 'reason'>;
  readonly batchRows: Histogram<'table'>;
  readonly loadSeconds: Histogram<'table'>;
  readonly unavailable: Gauge;
  /** Set when scraped from the newest event time loaded per table. */
  readonly lag: Gauge<'table'>;
  /** Remembers the newest event time loaded into a table; the lag gauge is computed from it when scraped. */
  loaded(table: TableName, newestEventTime: number | undefined): void;
}

/** One row up to a full default batch of 50,000 and beyond. */
const BATCH_ROWS_BUCKETS = [1, 10, 100, 1_000, 5_000, 10_000, 25_000, 50_000, 100_000];
/** A few milliseconds (a small batch into DuckDB) up to a minute (a large one into a busy Snowflake). */
const LOAD_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function createLoaderMetrics(registry: Registry, now: () => number = Date.now): LoaderMetrics {
  const registers = [registry];
  const newest = new Map<TableName, number>();
  return {
    rowsLoaded: new Counter({
      name: 'warehouse_rows_loaded_total',
      help: 'Rows written to the warehouse, by table (re-deliveries the stored offsets kept out are not counted).',
      labelNames: ['table'],
      registers,
    }),
    rowsRejected: new Counter({
      name: 'warehouse_rows_rejected_total',
      help: 'Consumed records sent to the dead-letter topic instead of the warehouse, by table and reason (error code).',
      labelNames: ['table', 'reason'],
      registers,
    }),
    batchRows: new Histogram({
      name: 'warehouse_batch_rows',
      help: 'Records per load (one warehouse transaction), by table.',
      labelNames: ['table'],
      buckets: BATCH_ROWS_BUCKETS,
      registers,
    }),
    loadSeconds: new Histogram({
      name: 'warehouse_load_seconds',
      help: 'Seconds one load takes: dead letters, then rows and offsets in one warehouse transaction, by table.',
      labelNames: ['table'],
      buckets: LOAD_SECONDS_BUCKETS,
      registers,
    }),
    unavailable: new Gauge({
      name: 'warehouse_unavailable',
      help: '1 while warehouse calls keep failing with transient errors (loading paused), else 0.',
      registers,
    }),
    lag: new Gauge({
      name: 'warehouse_load_lag_seconds',
      help: 'End-to-end lag by table: now minus the newest event time loaded (window end for aggregates).',
      labelNames: ['table'],
      registers,
      collect() {
        for (const [table, t] of newest) this.set({ table }, lagSeconds(now(), t));
      },
    }),
    loaded(table, newestEventTime) {
      if (newestEventTime !== undefined && newestEventTime > (newest.get(table) ?? -Infinity)) newest.set(table, newestEventTime);
    },
  };
}
