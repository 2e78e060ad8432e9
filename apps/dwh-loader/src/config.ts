import { baseEnv, durationMs, envVar, positiveInt } from '@meterline/config';
import { z } from 'zod';

/** The warehouses dwh-loader can load; one backend per process. */
export const WAREHOUSE_KINDS = ['duckdb', 'snowflake'] as const;
export type WarehouseKind = (typeof WAREHOUSE_KINDS)[number];

/** Environment variables of dwh-loader: the shared ones plus DWH_LOADER_*. */
export const dwhLoaderEnv = {
  ...baseEnv('dwh-loader'),
  warehouse: envVar('DWH_LOADER_WAREHOUSE', z.enum(WAREHOUSE_KINDS).default('duckdb'), 'the warehouse to load: duckdb or snowflake'),
  duckDbPath: envVar(
    'DWH_LOADER_DUCKDB_PATH',
    z.string().min(1).default('data/dwh-loader.duckdb'),
    'the DuckDB database file (created with its directory when missing); one loader process owns it at a time',
  ),
  groupId: envVar(
    'DWH_LOADER_GROUP_ID',
    z.string().regex(/^[A-Za-z0-9._-]+$/).optional(),
    'the consumer group, also the key of the offsets stored in the warehouse (default: TOPIC_PREFIX + "dwh-loader")',
  ),
  batchRows: envVar('DWH_LOADER_BATCH_ROWS', positiveInt.default(50_000), 'most records in one load of one table'),
  batchBytes: envVar(
    'DWH_LOADER_BATCH_BYTES',
    positiveInt.default(16 * 1024 * 1024),
    'most record bytes (keys and values as consumed) in one load of one table',
  ),
  batchMaxWaitMs: envVar(
    'DWH_LOADER_BATCH_MAX_WAIT',
    durationMs.prefault('1s'),
    'longest a consumed record waits for its batch to fill before the batch is loaded anyway',
  ),
  sessionTimeoutMs: envVar(
    'DWH_LOADER_SESSION_TIMEOUT',
    durationMs.prefault('30s'),
    'Kafka consumer session: how soon the group hands a dead instance\'s partitions to the others (broker minimum 6s)',
  ),
  maxOutageMs: envVar(
    'DWH_LOADER_MAX_OUTAGE',
    durationMs.prefault('5m'),
    'how long the warehouse may keep failing (loading paused, /readyz false) before the service gives up and exits 1',
  ),
} as const;

/** The consumer group: named after the service, inside the topic prefix that isolates a run (tests, shared clusters). */
export const groupIdOf = (config: { readonly groupId?: string | undefined; readonly topicPrefix: string }): string =>
  config.groupId ?? `${config.topicPrefix}dwh-loader`;
