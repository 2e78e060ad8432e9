import { rejection } from '../test-support/errors';
import { ENRICHED_TOPIC, enriched, factRecord, factRecords } from '../test-support/records';
import { rows, scalar, writeInputs } from '../test-support/sql';
import { type WarehouseFixture, warehouseFixture } from '../test-support/warehouse-fixture';
import type { OffsetCommit } from '../warehouse';

const commit = (...next: [partition: number, nextOffset: number][]): OffsetCommit => ({
  group: 'dwh-loader',
  offsets: next.map(([partition, nextOffset]) => ({ topic: ENRICHED_TOPIC, partition, nextOffset: String(nextOffset) })),
});

const columnsOf = (f: WarehouseFixture, table: string) =>
  rows(f.sql, `SELECT column_name, data_type, is_nullable FROM duckdb_columns() WHERE table_name = '${table}' ORDER BY column_index`);

/** The fact columns exactly as the input NDJSON gives them, for comparisons in SQL. */
const FACT_INPUT_COLUMNS = `{
  source_topic: 'VARCHAR', source_partition: 'INTEGER', source_offset: 'BIGINT', node_id: 'VARCHAR', metric: 'VARCHAR',
  value: 'DOUBLE', capacity: 'DOUBLE', unit: 'VARCHAR', event_time: 'BIGINT', source: 'VARCHAR',
  labels: 'MAP(VARCHAR, VARCHAR)', metadata_status: 'VARCHAR', instance_type: 'VARCHAR', zone: 'VARCHAR',
  node_labels: 'MAP(VARCHAR, VARCHAR)', metadata_updated_at: 'BIGINT', utilisation: 'DOUBLE'}`;

/**
 * Facts minus inputs and inputs minus facts, both empty when the table holds exactly the inputs: computed by DuckDB
 * from the NDJSON, with maps compared as sorted entry lists and times as epoch milliseconds.
 */
async function factsVersusInputs(f: WarehouseFixture, inputs: string): Promise<{ missing: unknown; extra: unknown; facts: unknown }> {
  const fromFacts = `SELECT node_id, metric, value, capacity, unit, epoch_ms(event_time) AS event_time, source,
      list_sort(map_entries(CAST(labels AS MAP(VARCHAR, VARCHAR)))) AS labels, metadata_status, instance_type, zone,
      list_sort(map_entries(CAST(node_labels AS MAP(VARCHAR, VARCHAR)))) AS node_labels,
      epoch_ms(metadata_updated_at) AS metadata_updated_at, utilisation, source_topic, source_partition, source_offset
    FROM fact_node_metric`;
  const fromInputs = `SELECT node_id, metric, value, capacity, unit, event_time, source, list_sort(map_entries(labels)),
      metadata_status, instance_type, zone, list_sort(map_entries(node_labels)), metadata_updated_at, utilisation,
      source_topic, source_partition, source_offset
    FROM read_json('${inputs}', format = 'newline_delimited', columns = ${FACT_INPUT_COLUMNS})`;
  return {
    missing: await scalar(f.sql, `SELECT count(*) FROM (${fromInputs} EXCEPT ALL ${fromFacts})`),
    extra: await scalar(f.sql, `SELECT count(*) FROM (${fromFacts} EXCEPT ALL ${fromInputs})`),
    facts: await scalar(f.sql, 'SELECT count(*) FROM fact_node_metric'),
  };
}

describe('DuckDB warehouse', () => {
  let f: WarehouseFixture;
  beforeEach(async () => {
    f = await warehouseFixture();
  });
  afterEach(() => f.close());

  it('creates the fact table from the enriched schema, with lineage, in DuckDB types', async () => {
    expect((await columnsOf(f, 'fact_node_metric')).map((c) => Object.values(c).join(' '))).toEqual([
      'node_id VARCHAR false',
      'metric VARCHAR false',
      'value DOUBLE false',
      'capacity DOUBLE true',
      'unit VARCHAR false',
      'event_time TIMESTAMP false',
      'source VARCHAR false',
      'labels JSON false',
      'metadata_status VARCHAR false',
      'instance_type VARCHAR true',
      'zone VARCHAR true',
      'node_labels JSON false',
      'metadata_updated_at TIMESTAMP true',
      'utilisation DOUBLE true',
      'source_topic VARCHAR false',
      'source_partition INTEGER false',
      'source_offset BIGINT false',
    ]);
  });

  it('creates the dimension, aggregate and offsets tables too, and a second ensureTables changes nothing', async () => {
    const tables = async () => rows(f.sql, `SELECT table_name, column_count FROM duckdb_tables() ORDER BY table_name`);
    const before = await tables();
    expect(before).toEqual([
      { table_name: 'agg_node_metric', column_count: '22' },
      { table_name: 'dim_node', column_count: '10' },
      { table_name: 'fact_node_metric', column_count: '17' },
      { table_name: 'load_offsets', column_count: '4' },
    ]);
    await f.warehouse.ensureTables();
    expect(await tables()).toEqual(before);
    expect((await columnsOf(f, 'agg_node_metric')).filter((c) => ['revision', 'count', 'missing_fields'].includes(String(c['column_name'])))).toEqual([
      { column_name: 'revision', data_type: 'INTEGER', is_nullable: false },
      { column_name: 'count', data_type: 'BIGINT', is_nullable: false },
      { column_name: 'missing_fields', data_type: 'JSON', is_nullable: false },
    ]);
  });

  it('writes a batch that equals its inputs, and stores the consumed offsets with it', async () => {
    const records = factRecords(500, { partitions: 3 });
    const result = await f.warehouse.writeBatch({ table: 'fact_node_metric', records }, commit([0, 167], [1, 167], [2, 166]));

    expect(result).toEqual({ table: 'fact_node_metric', loaded: 500, skipped: 0 });
    expect(await factsVersusInputs(f, writeInputs(f.file('inputs.ndjson'), records))).toEqual({ missing: '0', extra: '0', facts: '500' });
    expect(await f.warehouse.readOffsets('dwh-loader', ENRICHED_TOPIC)).toEqual([
      { topic: ENRICHED_TOPIC, partition: 0, nextOffset: '167' },
      { topic: ENRICHED_TOPIC, partition: 1, nextOffset: '167' },
      { topic: ENRICHED_TOPIC, partition: 2, nextOffset: '166' },
    ]);
  });

  it('stores maps as JSON with sorted keys, so equal label sets are equal values', async () => {
    const records = [
      factRecord(0, enriched({ labels: { job: 'node-exporter', cluster: 'prod' } })),
      factRecord(1, enriched({ labels: { cluster: 'prod', job: 'node-exporter' } })),
    ];
    await f.warehouse.writeBatch({ table: 'fact_node_metric', records }, commit([0, 2]));
    expect(await rows(f.sql, `SELECT DISTINCT labels, labels->>'job' AS job FROM fact_node_metric`)).toEqual([
      { labels: '{"cluster":"prod","job":"node-exporter"}', job: 'node-exporter' },
    ]);
  });

  it('never adds a re-delivered record twice: records below the stored next offset are skipped', async () => {
    const first = factRecords(10);
    await f.warehouse.writeBatch({ table: 'fact_node_metric', records: first }, commit([0, 10]));

    const again = await f.warehouse.writeBatch({ table: 'fact_node_metric', records: first }, commit([0, 10]));
    const overlapping = factRecords(10, { firstOffset: 5 });
    const partly = await f.warehouse.writeBatch({ table: 'fact_node_metric', records: overlapping }, commit([0, 15]));

    expect([again.loaded, again.skipped, partly.loaded, partly.skipped]).toEqual([0, 10, 5, 5]);
    expect(await rows(f.sql, `SELECT count(*) AS n, count(DISTINCT source_offset) AS offsets, max(source_offset) AS last FROM fact_node_metric`)).toEqual([
      { n: '15', offsets: '15', last: '14' },
    ]);
  });

  it('never moves a stored offset backwards', async () => {
    await f.warehouse.writeBatch({ table: 'fact_node_metric', records: factRecords(10) }, commit([0, 10]));
    await f.warehouse.writeBatch({ table: 'fact_node_metric', records: [] }, commit([0, 4], [1, 3]));
    expect((await f.warehouse.readOffsets('dwh-loader', ENRICHED_TOPIC)).map((o) => [o.partition, o.nextOffset])).toEqual([
      [0, '10'],
      [1, '3'],
    ]);
  });

  it('refuses a commit that does not cover the written records, and writes nothing', async () => {
    const error = await rejection(f.warehouse.writeBatch({ table: 'fact_node_metric', records: factRecords(10) }, commit([0, 9])));
    expect([error.kind, error.code]).toEqual(['fatal', 'WAREHOUSE_OFFSETS_BEHIND']);
    expect(await scalar(f.sql, 'SELECT (SELECT count(*) FROM fact_node_metric) + (SELECT count(*) FROM load_offsets)')).toBe('0');
  });

  it('rejects a record that cannot be converted as poison with its lineage, and writes nothing of the batch', async () => {
    const records = factRecords(3);
    const bad = factRecord(3, { ...enriched(), value: 'high' as unknown as number }, 0);
    const batch = { table: 'fact_node_metric' as const, records: [...records, bad] };

    const error = await rejection(f.warehouse.writeBatch(batch, commit([0, 4])));

    expect([error.kind, error.code]).toEqual(['poison', 'WAREHOUSE_ROW_CONVERSION']);
    expect(error.details).toEqual({ table: 'fact_node_metric', column: 'value', topic: ENRICHED_TOPIC, partition: 0, offset: '3' });
    expect(error.message).toContain('expected double, got string "high"');
    expect(await scalar(f.sql, 'SELECT (SELECT count(*) FROM fact_node_metric) + (SELECT count(*) FROM load_offsets)')).toBe('0');
    expect(f.warehouse.poisonRecords(batch).map((p) => [p.record.offset, p.error.details['column']])).toEqual([['3', 'value']]);
  });

  it('loads a record written before a defaulted field existed with the default', async () => {
    const { labels: _labels, ...withoutLabels } = enriched();
    await f.warehouse.writeBatch({ table: 'fact_node_metric', records: [factRecord(0, withoutLabels as never)] }, commit([0, 1]));
    expect(await scalar(f.sql, 'SELECT labels FROM fact_node_metric')).toBe('{}');
  });

  it('runs concurrent writes one after the other, each with its own transaction', async () => {
    const p0 = factRecords(100);
    const p1 = factRecords(100).map((r) => ({ ...r, partition: 1 }));
    await Promise.all([
      f.warehouse.writeBatch({ table: 'fact_node_metric', records: p0 }, commit([0, 100])),
      f.warehouse.writeBatch({ table: 'fact_node_metric', records: p1 }, commit([1, 100])),
    ]);
    expect(await rows(f.sql, 'SELECT source_partition AS p, count(*) AS n FROM fact_node_metric GROUP BY 1 ORDER BY 1')).toEqual([
      { p: 0, n: '100' },
      { p: 1, n: '100' },
    ]);
  });

  it('refuses every call once closed', async () => {
    await f.warehouse.close();
    const error = await rejection(f.warehouse.readOffsets('dwh-loader', ENRICHED_TOPIC));
    expect([error.kind, error.code]).toEqual(['fatal', 'WAREHOUSE_CLOSED']);
  });
});
