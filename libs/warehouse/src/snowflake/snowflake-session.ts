import snowflake from 'snowflake-sdk';
import type { SnowflakeWarehouseOptions } from './snowflake-options';
import { connectionOptions } from './snowflake-options';

export type Row = Readonly<Record<string, unknown>>;
/** One value per placeholder, or (an array bind) one such row per row to insert. */
export type Binds = readonly (string | number | boolean | null)[] | readonly (readonly (string | null)[])[];

/** One Snowflake session: statements run one at a time (the warehouse queues them), each its own request. */
export interface SnowflakeSession {
  query(sqlText: string, binds?: Binds): Promise<Row[]>;
  close(): Promise<void>;
}

const ignore = () => undefined;

function routeSdkLog(onSdkLog: SnowflakeWarehouseOptions['onSdkLog']): void {
  const forward = (level: 'error' | 'warn') => (message: string) => onSdkLog?.(level, message);
  snowflake.configure({
    logLevel: 'WARN',
    customLogger: { error: forward('error'), warn: forward('warn'), info: ignore, debug: ignore, trace: ignore },
  });
}

/** Connects (logs in) with the options' account and credentials; rejects with the SDK's error. */
export async function openSession(options: SnowflakeWarehouseOptions): Promise<SnowflakeSession> {
  const sdkOptions = connectionOptions(options);
  routeSdkLog(options.onSdkLog);
  const connection = snowflake.createConnection(sdkOptions);
  await new Promise<void>((resolve, reject) => connection.connect((err) => (err ? reject(err) : resolve())));
  return {
    query: (sqlText, binds) =>
      new Promise((resolve, reject) => {
        connection.execute({
          sqlText,
          ...(binds === undefined ? {} : { binds: binds as snowflake.Binds }),
          complete: (err, _statement, rows) => (err ? reject(err) : resolve((rows ?? []) as Row[])),
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (!connection.isUp()) return resolve();
        connection.destroy(() => resolve());
      }),
  };
}
