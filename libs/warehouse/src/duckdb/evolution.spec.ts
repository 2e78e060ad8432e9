import { DuckDBInstance } from '@duckdb/node-api';
import { warehouseModel } from '../model/tables';
import { rejection } from '../test-support/errors';
import { ENRICHED_TOPIC, enriched, factRecord } from '../test-support/records';
import { enrichedV2, enrichedValueAsString, enrichedWithDefaults, enrichedWithoutUnit, metadataV2 } from '../test-support/schema-versions';
import { rows } from '../test-support/sql';
import { tempDirectory } from '../test-support/temp-database';
import { type WarehouseFixture, warehouseFixture } from '../test-support/warehouse-fixture';
import { openDuckDbWarehouse } from './duckdb-warehouse';

const commitTo = (next: number) => ({ group: 'dwh-loader', offsets: [{ topic: ENRICHED_TOPIC, partition: 0, nextOffset: String(next) }] });
const catalog = (f: WarehouseFixture) =>
  rows(f.sql, `SELECT table_name, column_name, data_type, is_nullable FROM duckdb_columns() ORDER BY table_name, column_index`);

describe('schema evolution', () => {
  let f: WarehouseFixture;
  beforeEach(async () => {
    f = await warehouseFixture();
  });
  afterEach(() => f.close());

  it('adds a new optional field as a nullable column while loading goes on; older rows read null there', async () => {
    await f.warehouse.writeBatch({ table: 'fact_node_metric', records: [factRecord(0), factRecord(1)] }, commitTo(2));

    const changes = await f.warehouse.evolve('fact_node_metric', enrichedV2);
    // Written by a v2 producer, then one by a producer still on v1 (no node_pool at all).
    const v2 = factRecord(2, { ...enriched(), node_pool: 'gpu-pool' } as ReturnType<typeof enriched>);
    await f.warehouse.writeBatch({ table: 'fact_node_metric', records: [v2, factRecord(3)] }, commitTo(4));

    expect(changes.map((c) => [c.kind, c.column.name])).toEqual([['add-column', 'node_pool']]);
    expect(await rows(f.sql, `SELECT column_name, data_type, is_nullable FROM duckdb_columns() WHERE table_name = 'fact_node_metric' AND column_name = 'node_pool'`)).toEqual([
      { column_name: 'node_pool', data_type: 'VARCHAR', is_nullable: true },
    ]);
    expect(await rows(f.sql, 'SELECT source_offset, node_pool FROM fact_node_metric ORDER BY source_offset')).toEqual([
      { source_offset: '0', node_pool: null },
      { source_offset: '1', node_pool: null },
      { source_offset: '2', node_pool: 'gpu-pool' },
      { source_offset: '3', node_pool: null },
    ]);
  });

  it('fills a new field with a default for the rows loaded before it, as an Avro reader of the new version would', async () => {
    await f.warehouse.writeBatch({ table: 'fact_node_metric', records: [factRecord(0)] }, commitTo(1));
    await f.warehouse.evolve('fact_node_metric', enrichedWithDefaults);
    await f.warehouse.writeBatch({ table: 'fact_node_metric', records: [factRecord(1)] }, commitTo(2));
    expect(await rows(f.sql, 'SELECT source_offset, tier, quota, first_seen FROM fact_node_metric ORDER BY 1')).toEqual([
      { source_offset: '0', tier: 'standard', quota: '{"pods":110}', first_seen: '1970-01-01 00:00:00' },
      { source_offset: '1', tier: 'standard', quota: '{"pods":110}', first_seen: '1970-01-01 00:00:00' },
    ]);
  });

  it.each([
    ['a changed type', enrichedValueAsString, 'value', 'the table has DOUBLE, the schema needs VARCHAR'],
    ['a removed required field', enrichedWithoutUnit, 'unit', 'required in the table, but the schema no longer has this field'],
  ])('refuses %s with a fatal error naming the column, and changes nothing', async (_, schema, column, why) => {
    await f.warehouse.writeBatch({ table: 'fact_node_metric', records: [factRecord(0)] }, commitTo(1));
    const before = await catalog(f);

    const error = await rejection(f.warehouse.evolve('fact_node_metric', schema));

    expect([error.kind, error.code, error.details['table'], error.details['columns']]).toEqual(['fatal', 'WAREHOUSE_SCHEMA_INCOMPATIBLE', 'fact_node_metric', column]);
    expect(error.message).toContain(`column "${column}": ${why}`);
    expect(await catalog(f)).toEqual(before);
    // The stream goes on with the schema it had.
    await f.warehouse.writeBatch({ table: 'fact_node_metric', records: [factRecord(1)] }, commitTo(2));
    expect(await rows(f.sql, 'SELECT count(*) AS n FROM fact_node_metric')).toEqual([{ n: '2' }]);
  });
});

describe('starting with a newer schema on an existing warehouse', () => {
  it('adds the new columns in ensureTables, and refuses an incompatible schema before changing any table', async () => {
    const dir = tempDirectory();
    const path = dir.path('restart.duckdb');
    try {
      const v1 = await openDuckDbWarehouse({ path });
      await v1.ensureTables();
      await v1.writeBatch({ table: 'fact_node_metric', records: [factRecord(0)] }, commitTo(1));
      await v1.close();

      // The metadata change is compatible, the enriched one is not: neither table may change.
      const broken = await openDuckDbWarehouse({ path, model: warehouseModel({ fact_node_metric: enrichedValueAsString, dim_node: metadataV2 }) });
      await expect(broken.ensureTables()).rejects.toMatchObject({ kind: 'fatal', details: { columns: 'value' } });
      await broken.close();

      const v2 = await openDuckDbWarehouse({ path, model: warehouseModel({ fact_node_metric: enrichedV2 }) });
      await v2.ensureTables();
      await v2.close();

      const instance = await DuckDBInstance.create(path);
      const sql = await instance.connect();
      expect(await rows(sql, 'SELECT source_offset, node_pool, value FROM fact_node_metric')).toEqual([{ source_offset: '0', node_pool: null, value: 3.25 }]);
      expect(await rows(sql, `SELECT count(*) AS n FROM duckdb_columns() WHERE table_name = 'dim_node' AND column_name = 'node_pool'`)).toEqual([{ n: '0' }]);
      sql.closeSync();
      instance.closeSync();
    } finally {
      dir.remove();
    }
  });
});
