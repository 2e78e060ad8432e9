import { fatalError } from '@meterline/stream';
import type { ConnectionOptions } from 'snowflake-sdk';
import type { WarehouseModel } from '../model/tables';

/** Key-pair auth: the private key as PEM text or as a file, encrypted when a passphrase is given. Or a password. */
export type SnowflakeAuth =
  | { readonly password: string }
  | { readonly privateKey: string; readonly passphrase?: string }
  | { readonly privateKeyPath: string; readonly passphrase?: string };

export interface SnowflakeWarehouseOptions {
  /** The account identifier (`orgname-account` or a locator); `fakesnow` for the fake the tests run against. */
  readonly account: string;
  readonly user: string;
  readonly auth: SnowflakeAuth;
  readonly role?: string;
  /** The virtual warehouse that runs the loads. */
  readonly warehouse?: string;
  /** Where the tables live; they are created there, the database and schema must exist. */
  readonly database: string;
  readonly schema: string;
  /** Another endpoint than the account's (a private link, or fakesnow in tests), e.g. `http://127.0.0.1:4566`. */
  readonly accessUrl?: string;
  /**
   * Batches of at least this many new rows go through a stage (a CSV file PUT to the staging table's stage, then
   * COPY INTO); smaller ones are sent as one array bind. Default 1,000.
   */
  readonly stageThreshold?: number;
  /** The tables and the schemas they derive from; by default the current schema versions of libs/schemas. */
  readonly model?: WarehouseModel;
  /**
   * Where the SDK's warnings and errors go; dropped by default. The SDK's logger is process-wide: the last warehouse
   * opened sets it. (Left alone, the SDK logs at INFO to stdout and to a snowflake.log in the working directory.)
   */
  readonly onSdkLog?: (level: 'error' | 'warn', message: string) => void;
}

export const DEFAULT_STAGE_THRESHOLD = 1_000;

const has = (value: string | undefined): value is string => typeof value === 'string' && value.trim() !== '';

/**
 * The SDK's connection options, or a fatal error listing every problem of the options at once.
 * `arrayBindingThreshold` is set beyond any batch: the SDK would otherwise move large array binds to a stage of its
 * own, and which path a batch takes is `stageThreshold`'s decision here.
 */
export function connectionOptions(options: SnowflakeWarehouseOptions): ConnectionOptions {
  const problems: string[] = [];
  for (const key of ['account', 'user', 'database', 'schema'] as const) {
    if (!has(options[key])) problems.push(`${key} is required`);
  }
  const auth = options.auth as Partial<Record<'password' | 'privateKey' | 'privateKeyPath' | 'passphrase', string>>;
  const given = (['password', 'privateKey', 'privateKeyPath'] as const).filter((key) => has(auth[key]));
  if (given.length !== 1) problems.push(`auth needs exactly one of password, privateKey, privateKeyPath (got ${given.join(', ') || 'none'})`);
  if (auth.privateKey !== undefined && !auth.privateKey.includes('PRIVATE KEY-----')) problems.push('auth.privateKey is not a PEM private key');
  if (options.accessUrl !== undefined && !/^https?:\/\/[^/]+/.test(options.accessUrl)) problems.push(`accessUrl ${options.accessUrl} is not an http(s) URL`);
  const threshold = options.stageThreshold ?? DEFAULT_STAGE_THRESHOLD;
  if (!Number.isInteger(threshold) || threshold < 1) problems.push(`stageThreshold must be a positive integer (got ${String(threshold)})`);
  if (problems.length > 0) {
    throw fatalError('WAREHOUSE_CONFIG', `Snowflake warehouse options: ${problems.join('; ')}`, { details: { problems: problems.join('; ') } });
  }
  const credentials: ConnectionOptions = has(auth.password)
    ? { authenticator: 'SNOWFLAKE', password: auth.password }
    : {
        authenticator: 'SNOWFLAKE_JWT',
        ...(has(auth.privateKey) ? { privateKey: auth.privateKey } : { privateKeyPath: auth.privateKeyPath }),
        ...(has(auth.passphrase) ? { privateKeyPass: auth.passphrase } : {}),
      };
  return {
    account: options.account,
    username: options.user,
    database: options.database,
    schema: options.schema,
    ...(has(options.role) ? { role: options.role } : {}),
    ...(has(options.warehouse) ? { warehouse: options.warehouse } : {}),
    ...(options.accessUrl === undefined ? {} : { accessUrl: options.accessUrl }),
    ...credentials,
    application: 'meterline-dwh-loader',
    // A loader may sit idle for hours between batches; Snowflake ends idle sessions after four.
    clientSessionKeepAlive: true,
    arrayBindingThreshold: Number.MAX_SAFE_INTEGER,
  };
}
