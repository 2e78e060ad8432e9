import { baseEnv, durationMs, envVar, positiveInt } from '@meterline/config';
import { z } from 'zod';

/** The warehouses dwh-loader can load; one backend per process. */
export const WAREHOUSE_KINDS = ['duckdb', 'snowflake'] as const;
export type WarehouseKind = (typeof WAREHOUSE_KINDS)[number];

const optionalText = z.string().optional();

/** Snowflake's connection (read only with DWH_LOADER_WAREHOUSE=snowflake); checked together by snowflakeSettings. */
const snowflakeEnv = {
  snowflakeAccount: envVar('DWH_LOADER_SNOWFLAKE_ACCOUNT', optionalText, 'Snowflake account identifier (orgname-account or a locator)'),
  snowflakeUser: envVar('DWH_LOADER_SNOWFLAKE_USER', optionalText, 'Snowflake user'),
  snowflakePassword: envVar('DWH_LOADER_SNOWFLAKE_PASSWORD', optionalText, 'password auth (or a private key below)'),
  snowflakePrivateKey: envVar('DWH_LOADER_SNOWFLAKE_PRIVATE_KEY', optionalText, 'key-pair auth: the private key as PEM text'),
  snowflakePrivateKeyPath: envVar('DWH_LOADER_SNOWFLAKE_PRIVATE_KEY_PATH', optionalText, 'key-pair auth: a PEM private key file'),
  snowflakePassphrase: envVar('DWH_LOADER_SNOWFLAKE_PRIVATE_KEY_PASSPHRASE', optionalText, 'passphrase of an encrypted private key'),
  snowflakeRole: envVar('DWH_LOADER_SNOWFLAKE_ROLE', optionalText, 'role to load as (default: the user\'s)'),
  snowflakeWarehouse: envVar('DWH_LOADER_SNOWFLAKE_WAREHOUSE', optionalText, 'virtual warehouse running the loads (default: the user\'s)'),
  snowflakeDatabase: envVar('DWH_LOADER_SNOWFLAKE_DATABASE', optionalText, 'database of the tables (must exist)'),
  snowflakeSchema: envVar('DWH_LOADER_SNOWFLAKE_SCHEMA', optionalText, 'schema of the tables (must exist; tables are created)'),
  snowflakeAccessUrl: envVar('DWH_LOADER_SNOWFLAKE_ACCESS_URL', optionalText, 'another endpoint than the account\'s (private link; fakesnow in tests)'),
  snowflakeStageThreshold: envVar(
    'DWH_LOADER_SNOWFLAKE_STAGE_THRESHOLD',
    positiveInt.optional(),
    'batches of at least this many new rows go through a stage (PUT + COPY INTO), smaller ones as one array bind (default 1000)',
  ),
} as const;

/** Environment variables of dwh-loader: the shared ones plus DWH_LOADER_*. */
export const dwhLoaderEnv = {
  ...baseEnv('dwh-loader'),
  warehouse: envVar('DWH_LOADER_WAREHOUSE', z.enum(WAREHOUSE_KINDS).default('duckdb'), 'the warehouse to load: duckdb or snowflake'),
  duckDbPath: envVar(
    'DWH_LOADER_DUCKDB_PATH',
    // Under the git-ignored .cache of a checkout (npm start); the image sets /data/dwh-loader.duckdb on its volume.
    z.string().min(1).default('.cache/dwh-loader/dwh-loader.duckdb'),
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
  ...snowflakeEnv,
  maxOutageMs: envVar(
    'DWH_LOADER_MAX_OUTAGE',
    durationMs.prefault('5m'),
    'how long the warehouse may keep failing (loading paused, /readyz false) before the service gives up and exits 1',
  ),
} as const;

/** The consumer group: named after the service, inside the topic prefix that isolates a run (tests, shared clusters). */
export const groupIdOf = (config: { readonly groupId?: string | undefined; readonly topicPrefix: string }): string =>
  config.groupId ?? `${config.topicPrefix}dwh-loader`;

type SnowflakeConfig = { readonly [K in keyof typeof snowflakeEnv]: z.output<(typeof snowflakeEnv)[K]['schema']> };

/** What openSnowflakeWarehouse takes (libs/warehouse's SnowflakeWarehouseOptions, without the model). */
export interface SnowflakeSettings {
  readonly account: string;
  readonly user: string;
  readonly auth: { readonly password: string } | { readonly privateKey: string; readonly passphrase?: string } | { readonly privateKeyPath: string; readonly passphrase?: string };
  readonly database: string;
  readonly schema: string;
  readonly role?: string;
  readonly warehouse?: string;
  readonly accessUrl?: string;
  readonly stageThreshold?: number;
}

/**
 * The Snowflake connection from the environment, or every problem with it at once (names of the variables, never
 * their values: some are secrets).
 */
export function snowflakeSettings(config: SnowflakeConfig): { readonly settings?: SnowflakeSettings; readonly problems: readonly string[] } {
  const problems: string[] = [];
  const required = (value: string | undefined, name: string): string => {
    if (value === undefined || value.trim() === '') problems.push(`${name} is required with DWH_LOADER_WAREHOUSE=snowflake`);
    return value ?? '';
  };
  const account = required(config.snowflakeAccount, 'DWH_LOADER_SNOWFLAKE_ACCOUNT');
  const user = required(config.snowflakeUser, 'DWH_LOADER_SNOWFLAKE_USER');
  const database = required(config.snowflakeDatabase, 'DWH_LOADER_SNOWFLAKE_DATABASE');
  const schema = required(config.snowflakeSchema, 'DWH_LOADER_SNOWFLAKE_SCHEMA');
  const given = (
    [
      ['DWH_LOADER_SNOWFLAKE_PASSWORD', config.snowflakePassword],
      ['DWH_LOADER_SNOWFLAKE_PRIVATE_KEY', config.snowflakePrivateKey],
      ['DWH_LOADER_SNOWFLAKE_PRIVATE_KEY_PATH', config.snowflakePrivateKeyPath],
    ] as const
  ).filter(([, value]) => value !== undefined && value !== '');
  if (given.length !== 1) {
    problems.push(`exactly one of DWH_LOADER_SNOWFLAKE_PASSWORD, _PRIVATE_KEY, _PRIVATE_KEY_PATH is needed (got ${given.map(([n]) => n).join(', ') || 'none'})`);
  }
  if (config.snowflakeAccessUrl !== undefined && !/^https?:\/\/[^/]+/.test(config.snowflakeAccessUrl)) {
    problems.push('DWH_LOADER_SNOWFLAKE_ACCESS_URL is not an http(s) URL');
  }
  if (problems.length > 0) return { problems };
  const passphrase = config.snowflakePassphrase ? { passphrase: config.snowflakePassphrase } : {};
  const auth = config.snowflakePassword
    ? { password: config.snowflakePassword }
    : config.snowflakePrivateKey
      ? { privateKey: config.snowflakePrivateKey, ...passphrase }
      : { privateKeyPath: config.snowflakePrivateKeyPath ?? '', ...passphrase };
  return {
    problems,
    settings: {
      account,
      user,
      auth,
      database,
      schema,
      ...(config.snowflakeRole ? { role: config.snowflakeRole } : {}),
      ...(config.snowflakeWarehouse ? { warehouse: config.snowflakeWarehouse } : {}),
      ...(config.snowflakeAccessUrl ? { accessUrl: config.snowflakeAccessUrl } : {}),
      ...(config.snowflakeStageThreshold ? { stageThreshold: config.snowflakeStageThreshold } : {}),
    },
  };
}
