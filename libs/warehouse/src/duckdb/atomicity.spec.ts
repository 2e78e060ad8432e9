import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { rejection } from '../test-support/errors';
import { ENRICHED_TOPIC, factRecords } from '../test-support/records';
import { rows, scalar } from '../test-support/sql';
import { tempDirectory } from '../test-support/temp-database';
import { type WarehouseFixture, warehouseFixture } from '../test-support/warehouse-fixture';
import { openDuckDbWarehouse } from './duckdb-warehouse';

const workspaceRoot = resolve(__dirname, '..', '..', '..', '..');
const commitTo = (next: number) => ({ group: 'dwh-loader', offsets: [{ topic: ENRICHED_TOPIC, partition: 0, nextOffset: String(next) }] });

describe('a batch and its offsets are one transaction', () => {
  let f: WarehouseFixture;
  beforeEach(async () => {
    f = await warehouseFixture();
  });
  afterEach(() => f.close());

  it('leaves neither rows nor offsets when the offsets write fails after the rows were inserted, then succeeds on retry', async () => {
    await f.warehouse.writeBatch({ table: 'fact_node_metric', records: factRecords(10) }, commitTo(10));
    // Another transaction holds an uncommitted change of the same offsets row: the batch's rows go in first, then its
    // offsets upsert meets a write-write conflict, DuckDB's optimistic concurrency failing the statement.
    await f.sql.run('BEGIN TRANSACTION');
    await f.sql.run(`UPDATE load_offsets SET next_offset = 11 WHERE "partition" = 0`);

    const error = await rejection(f.warehouse.writeBatch({ table: 'fact_node_metric', records: factRecords(50, { firstOffset: 10 }) }, commitTo(60)));
    await f.sql.run('ROLLBACK');

    expect([error.kind, error.code]).toEqual(['transient', 'WAREHOUSE_CONFLICT']);
    expect(await rows(f.sql, 'SELECT count(*) AS facts, max(source_offset) AS last FROM fact_node_metric')).toEqual([{ facts: '10', last: '9' }]);
    expect(await f.warehouse.readOffsets('dwh-loader', ENRICHED_TOPIC)).toEqual([{ topic: ENRICHED_TOPIC, partition: 0, nextOffset: '10' }]);

    await f.warehouse.writeBatch({ table: 'fact_node_metric', records: factRecords(50, { firstOffset: 10 }) }, commitTo(60));
    expect(await scalar(f.sql, 'SELECT count(DISTINCT source_offset) FROM fact_node_metric')).toBe('60');
  });
});

/** Runs crash-child.ts; resolves with how the process ended. */
function crashChild(path: string, crashAt: string, rowCount: number): Promise<{ signal: string | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'test-support', 'crash-child.ts'), path, crashAt, String(rowCount)], {
      cwd: workspaceRoot,
      env: { ...process.env, TSX_TSCONFIG_PATH: join(workspaceRoot, 'libs', 'warehouse', 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', fail);
    child.on('exit', (_, signal) => done({ signal, output }));
  });
}

describe('a loader killed in the middle of a batch', () => {
  // 150,000 rows exceed DuckDB's row group (122,880 rows): part of the batch reaches the database file before the
  // commit (DuckDB writes large transactions optimistically), so recovery has to discard written blocks, not just
  // an unreplayed log.
  it.each([
    ['after the rows were inserted, before the offsets', 'INSERT INTO "load_offsets"', 150_000],
    ['after rows and offsets, just before COMMIT', 'COMMIT', 150_000],
    ['while staging, before the insert', 'INSERT INTO "fact_node_metric"', 5_000],
  ])('%s leaves the previous batch only, and the batch loads once on restart', async (_, crashAt, rowCount) => {
    const dir = tempDirectory();
    const path = dir.path('crash.duckdb');
    try {
      const { signal, output } = await crashChild(path, crashAt, rowCount);
      expect([signal, output]).toEqual(['SIGKILL', '']);

      const warehouse = await openDuckDbWarehouse({ path });
      expect(await warehouse.readOffsets('dwh-loader', ENRICHED_TOPIC)).toEqual([{ topic: ENRICHED_TOPIC, partition: 0, nextOffset: '100' }]);
      // What a restarted loader does: Kafka re-delivers from the stored offset, here the whole second batch.
      await warehouse.writeBatch({ table: 'fact_node_metric', records: factRecords(rowCount, { firstOffset: 100 }) }, commitTo(100 + rowCount));
      await warehouse.close();

      const check = await DuckDBInstance.create(path);
      const sql = await check.connect();
      expect(await rows(sql, 'SELECT count(*) AS n, count(DISTINCT source_offset) AS distinct_offsets, max(source_offset) AS last FROM fact_node_metric')).toEqual([
        { n: String(100 + rowCount), distinct_offsets: String(100 + rowCount), last: String(99 + rowCount) },
      ]);
      sql.closeSync();
      check.closeSync();
    } finally {
      dir.remove();
    }
  });
});
