import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { DuckDBInstance } from '@duckdb/node-api';
import { fatalError, poisonError } from '@meterline/stream';
import { rejection } from '../test-support/errors';
import { tempDirectory } from '../test-support/temp-database';
import { classifyDuckDbError } from './duckdb-errors';
import { openDuckDbWarehouse } from './duckdb-warehouse';

/** What DuckDB throws for `sql` on a fresh in-memory database. */
async function duckDbError(sql: string): Promise<unknown> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(sql);
    throw new Error(`expected ${sql} to fail`);
  } catch (err) {
    return err;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('classifyDuckDbError', () => {
  it('calls a database file locked by another process transient: it is free again once that process ends', async () => {
    const dir = tempDirectory();
    const path = dir.path('locked.duckdb');
    const holder = spawn(
      process.execPath,
      // Holds the database open until its stdin closes.
      ['-e', `require('@duckdb/node-api').DuckDBInstance.create(${JSON.stringify(path)}).then(() => { console.log('open'); process.stdin.resume(); })`],
      { cwd: __dirname, stdio: ['pipe', 'pipe', 'inherit'] },
    );
    try {
      const [line] = (await once(holder.stdout, 'data')) as [Buffer];
      expect(line.toString().trim()).toBe('open');
      const error = await rejection(openDuckDbWarehouse({ path }));
      expect([error.kind, error.code]).toEqual(['transient', 'WAREHOUSE_UNAVAILABLE']);
      expect(error.message).toContain('Could not set lock');
    } finally {
      const exited = holder.exitCode === null ? once(holder, 'exit') : Promise.resolve();
      holder.stdin.end();
      await exited;
      dir.remove();
    }
  });

  it.each([
    ['a missing table', 'SELECT * FROM nowhere', 'Catalog Error'],
    ['a violated constraint', 'CREATE TABLE t (x INTEGER NOT NULL); INSERT INTO t VALUES (NULL)', 'Constraint Error'],
    ['a bad cast', "SELECT CAST('x' AS INTEGER)", 'Conversion Error'],
  ])('calls %s fatal: retrying a wrong statement repeats it', async (_, sql, type) => {
    const error = classifyDuckDbError(await duckDbError(sql), 'loading');
    expect([error.kind, error.code]).toEqual(['fatal', 'WAREHOUSE_FAILED']);
    expect(error.message).toMatch(new RegExp(`^loading: ${type}:`));
  });

  it.each([
    ['TransactionContext Error: Conflict on update!', 'WAREHOUSE_CONFLICT'],
    ['Error: TransactionContext Error: Conflict on tuple deletion!', 'WAREHOUSE_CONFLICT'],
    ['IO Error: No space left on device', 'WAREHOUSE_UNAVAILABLE'],
    ['Out of Memory Error: could not allocate block of size 256.0 KiB', 'WAREHOUSE_UNAVAILABLE'],
  ])('calls "%s" transient', (message, code) => {
    const error = classifyDuckDbError(new Error(message), 'loading');
    expect([error.kind, error.code]).toEqual(['transient', code]);
  });

  it('keeps an error that is already classified', () => {
    const poison = poisonError('WAREHOUSE_ROW_CONVERSION', 'bad row');
    expect(classifyDuckDbError(poison, 'loading')).toBe(poison);
    const fatal = fatalError('X', 'y');
    expect(classifyDuckDbError(fatal, 'loading')).toBe(fatal);
  });
});
