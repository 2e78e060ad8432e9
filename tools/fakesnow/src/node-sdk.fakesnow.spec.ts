import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import snowflake from 'snowflake-sdk';
import { type Fakesnow, startFakesnow } from './start-fakesnow';

// The real snowflake-sdk against the fake Snowflake (fakesnow) through the adapter: what the adapter must get right
// for the warehouse's Snowflake tests to mean anything.

snowflake.configure({ customLogger: { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined, trace: () => undefined } });

type Row = Record<string, unknown>;

async function connect(fake: Fakesnow, schema: string): Promise<snowflake.Connection> {
  const connection = snowflake.createConnection({
    account: fake.account,
    accessUrl: fake.accessUrl,
    username: 'tester',
    password: 'any',
    database: 'FAKESNOW_SPEC',
    schema,
  });
  await new Promise<void>((resolve, reject) => connection.connect((err) => (err ? reject(err) : resolve())));
  return connection;
}

const query = (connection: snowflake.Connection, sqlText: string, binds?: snowflake.Binds): Promise<Row[]> =>
  new Promise((resolve, reject) =>
    connection.execute({ sqlText, ...(binds === undefined ? {} : { binds }), complete: (err, _, rows) => (err ? reject(err) : resolve((rows ?? []) as Row[])) }),
  );

const destroy = (connection: snowflake.Connection) => new Promise<void>((resolve) => connection.destroy(() => resolve()));

describe('fakesnow behind the Node SDK adapter (a fake Snowflake)', () => {
  let fake: Fakesnow;
  let sql: snowflake.Connection;

  beforeAll(async () => {
    // The first run on a machine builds the venv (pip install): minutes, not seconds.
    fake = await startFakesnow();
    sql = await connect(fake, 'TYPES');
  }, 10 * 60_000);

  afterAll(async () => {
    await destroy(sql);
    await fake.stop();
  });

  it('answers queries with JSON rowsets the SDK decodes into the values Snowflake would give', async () => {
    const [row] = await query(
      sql,
      `SELECT CAST(12345678901234 AS NUMBER(19,0)) AS big, CAST(-2.50 AS NUMBER(10,2)) AS dec, CAST(0.1 AS FLOAT) AS real,
              CAST('NaN' AS FLOAT) AS nan, CAST('inf' AS FLOAT) AS inf, TRUE AS yes, FALSE AS no, 'a,"b"' AS text,
              CAST('2024-03-14' AS DATE) AS day, CAST('1969-12-31 23:59:59.250' AS TIMESTAMP_NTZ(3)) AS before_epoch,
              CAST('2024-03-14 09:30:00.123' AS TIMESTAMP_NTZ(3)) AS ts, PARSE_JSON('{"b":[1,2],"a":"x"}') AS doc,
              TO_BINARY('CAFE', 'HEX') AS bin, CAST(NULL AS VARCHAR) AS nothing, CAST(NULL AS TIMESTAMP_NTZ(3)) AS no_time`,
    );
    expect(row).toMatchObject({ BIG: 12345678901234, DEC: -2.5, REAL: 0.1, INF: Infinity, YES: true, NO: false, TEXT: 'a,"b"' });
    expect(row?.['NAN']).toBeNaN();
    expect([row?.['DAY'], row?.['BEFORE_EPOCH'], row?.['TS']].map((d) => (d as Date).getTime())).toEqual([
      Date.UTC(2024, 2, 14),
      Date.UTC(1969, 11, 31, 23, 59, 59, 250),
      Date.UTC(2024, 2, 14, 9, 30, 0, 123),
    ]);
    expect(row?.['DOC']).toEqual({ a: 'x', b: [1, 2] });
    expect((row?.['BIN'] as Buffer).toString('hex')).toBe('cafe');
    expect([row?.['NOTHING'], row?.['NO_TIME']]).toEqual([null, null]);
  });

  it('ends DML answers with their row counts, and binds arrays of rows inline in one request', async () => {
    await query(sql, 'CREATE OR REPLACE TABLE binds (id NUMBER(10,0), name VARCHAR)');
    const inserted = await query(sql, 'INSERT INTO binds (id, name) VALUES (?, ?)', [[1, 'a'], [2, ''], [3, null]]);
    const updated = await query(sql, `UPDATE binds SET name = 'z' WHERE id >= 2`);
    expect([inserted, updated]).toEqual([[{ 'number of rows inserted': 3 }], [{ 'number of rows updated': 2, 'number of multi-joined rows updated': 0 }]]);
    expect(await query(sql, 'SELECT id, name FROM binds ORDER BY id')).toEqual([
      { ID: 1, NAME: 'a' },
      { ID: 2, NAME: 'z' },
      { ID: 3, NAME: 'z' },
    ]);
  });

  it('runs MERGE inside a transaction, after another write of the same transaction', async () => {
    await query(sql, 'CREATE OR REPLACE TABLE merged (id NUMBER(10,0), n NUMBER(10,0))');
    await query(sql, 'CREATE OR REPLACE TABLE written (id NUMBER(10,0))');
    await query(sql, 'BEGIN');
    await query(sql, 'INSERT INTO written VALUES (1)');
    const [counts] = await query(sql, 'MERGE INTO merged AS t USING (SELECT CAST(? AS NUMBER(10,0)) AS id, 7 AS n) AS s ON t.id = s.id WHEN NOT MATCHED THEN INSERT (id, n) VALUES (s.id, s.n)', [1]);
    await query(sql, 'COMMIT');
    expect(counts).toEqual({ 'number of rows inserted': 1 });
    expect(await query(sql, 'SELECT id, n FROM merged')).toEqual([{ ID: 1, N: 7 }]);
  });

  it('fails a statement fakesnow cannot handle at once, where its HTTP 500 would have the SDK retry for minutes', async () => {
    const started = Date.now();
    // DuckDB's error() raises an error fakesnow does not translate.
    const error = await query(sql, `SELECT error('boom') AS x`).then(
      () => undefined,
      (err: snowflake.SnowflakeError) => err,
    );
    expect([error?.name, error?.code]).toEqual(['OperationFailedError', '261000']);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("reports a second writer of a row as Snowflake's lock error", async () => {
    // Snowflake would make the second wait for the lock (and fail it with 000625 if it never came); DuckDB refuses it.
    await query(sql, 'CREATE OR REPLACE TABLE counters (id NUMBER(10,0), n NUMBER(10,0))');
    await query(sql, 'INSERT INTO counters VALUES (1, 0)');
    const other = await connect(fake, 'TYPES');
    try {
      await query(sql, 'BEGIN');
      await query(sql, 'UPDATE counters SET n = 1 WHERE id = 1');
      const error = await query(other, 'UPDATE counters SET n = 2 WHERE id = 1').then(
        () => undefined,
        (err: snowflake.SnowflakeError) => err,
      );
      await query(sql, 'ROLLBACK');
      expect([error?.code, error?.sqlState]).toEqual(['000625', '57014']);
      expect(error?.message).toContain('Conflict');
    } finally {
      await destroy(other);
    }
  });

  it('uploads a file with PUT to a temporary table stage and loads it with COPY INTO', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fakesnow-put-'));
    try {
      const file = join(dir, 'rows.csv');
      writeFileSync(file, '1,"a, b"\n2,"say ""hi"""\n3,\n');
      await query(sql, 'CREATE OR REPLACE TEMPORARY TABLE staged (id VARCHAR, name VARCHAR)');
      const [put] = await query(sql, `PUT 'file://${file}' @%staged`);
      const copied = await query(
        sql,
        `COPY INTO staged FROM @%staged
           FILE_FORMAT = (TYPE = CSV FIELD_OPTIONALLY_ENCLOSED_BY = '"')`,
      );
      expect([put?.['status'], copied.map((r) => [r['status'], r['rows_loaded']])]).toEqual(['UPLOADED', [['LOADED', 3]]]);
      expect(await query(sql, 'SELECT id, name FROM staged ORDER BY id')).toEqual([
        { ID: '1', NAME: 'a, b' },
        { ID: '2', NAME: 'say "hi"' },
        { ID: '3', NAME: null },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('stopping fakesnow', () => {
  it('ends the process and frees its port', async () => {
    const fake = await startFakesnow();
    const port = Number(new URL(fake.accessUrl).port);
    await fake.stop();
    await fake.stop();
    expect(() => process.kill(fake.pid, 0)).toThrow();
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer().once('error', () => resolve(false));
      server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve(true)));
    });
    expect(free).toBe(true);
  }, 10 * 60_000);
});
