import { randomUUID } from 'node:crypto';
import { type Fakesnow, startFakesnow } from '@meterline/fakesnow';
import snowflake from 'snowflake-sdk';
import { canonicalJson, isPlainObject } from '../../model/values';
import type { Warehouse } from '../../warehouse';
import type { SnowflakeWarehouseOptions } from '../snowflake-options';
import { openSnowflakeWarehouse } from '../snowflake-warehouse';

export const DATABASE = 'METERLINE';

// Left alone, the SDK logs at INFO to stdout and into a snowflake.log in the working directory.
const silent = () => undefined;
snowflake.configure({ customLogger: { error: silent, warn: silent, info: silent, debug: silent, trace: silent } });

/** The fake Snowflake of one spec file; the first start on a machine builds its venv (minutes). */
export async function startFake(): Promise<Fakesnow> {
  return startFakesnow();
}

export const BEFORE_ALL_TIMEOUT = 10 * 60_000;

/** A fresh schema name, so tests sharing one fake never see each other's tables. */
export const uniqueSchema = () => `T_${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`;

/** Options for a warehouse in `schema` of the fake: any user and password do. */
export const fakeOptions = (fake: Fakesnow, schema: string, extra: Partial<SnowflakeWarehouseOptions> = {}): SnowflakeWarehouseOptions => ({
  account: fake.account,
  user: 'dwh_loader',
  auth: { password: 'fake' },
  database: DATABASE,
  schema,
  accessUrl: fake.accessUrl,
  ...extra,
});

export type Row = Record<string, unknown>;

/**
 * A second session on the fake, for queries that do not go through the warehouse. Rows come back with lower-case keys,
 * timestamps as epoch milliseconds and VARIANT maps as canonical JSON text: the forms the reference queries compute.
 */
export interface SqlSession {
  rows(sqlText: string, binds?: snowflake.Binds): Promise<Row[]>;
  scalar(sqlText: string): Promise<unknown>;
  close(): Promise<void>;
}

const normalise = (value: unknown): unknown => {
  if (value instanceof Date) return value.getTime();
  if (isPlainObject(value)) return canonicalJson(value);
  return value;
};

export async function sqlSession(fake: Fakesnow, schema: string): Promise<SqlSession> {
  const connection = snowflake.createConnection({
    account: fake.account,
    accessUrl: fake.accessUrl,
    username: 'reader',
    password: 'fake',
    database: DATABASE,
    schema,
  });
  await new Promise<void>((resolve, reject) => connection.connect((err) => (err ? reject(err) : resolve())));
  const rows = (sqlText: string, binds?: snowflake.Binds) =>
    new Promise<Row[]>((resolve, reject) =>
      connection.execute({
        sqlText,
        ...(binds === undefined ? {} : { binds }),
        complete: (err, _, result) =>
          err
            ? reject(err)
            : resolve(((result ?? []) as Row[]).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k.toLowerCase(), normalise(v)])))),
      }),
    );
  return {
    rows,
    scalar: async (sqlText) => {
      const [row] = await rows(sqlText);
      return row === undefined ? undefined : Object.values(row)[0];
    },
    close: () => new Promise<void>((resolve) => connection.destroy(() => resolve())),
  };
}

export interface SnowflakeFixture {
  readonly schema: string;
  readonly warehouse: Warehouse;
  readonly sql: SqlSession;
  readonly close: () => Promise<void>;
}

/** A warehouse on a fresh schema of the fake with its tables created, plus an independent session on the same schema. */
export async function snowflakeFixture(fake: Fakesnow, extra: Partial<SnowflakeWarehouseOptions> = {}): Promise<SnowflakeFixture> {
  const schema = uniqueSchema();
  const warehouse = await openSnowflakeWarehouse(fakeOptions(fake, schema, extra));
  await warehouse.ensureTables();
  const sql = await sqlSession(fake, schema);
  return {
    schema,
    warehouse,
    sql,
    close: async () => {
      await warehouse.close();
      await sql.close();
    },
  };
}
