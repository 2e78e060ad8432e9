import type { Fakesnow } from '@meterline/fakesnow';
import { rejection } from '../test-support/errors';
import { ENRICHED_TOPIC, enriched, factRecord, factRecords } from '../test-support/records';
import type { OffsetCommit, TableRecords } from '../warehouse';
import { BEFORE_ALL_TIMEOUT, type SnowflakeFixture, snowflakeFixture, startFake } from './test-support/fakesnow-fixture';
import { mapAsJson, reference } from './test-support/reference';

// The Snowflake backend through the real snowflake-sdk against fakesnow, a fake Snowflake (Snowflake SQL on DuckDB).

const commit = (...next: [partition: number, nextOffset: number][]): OffsetCommit => ({
  group: 'dwh-loader',
  offsets: next.map(([partition, nextOffset]) => ({ topic: ENRICHED_TOPIC, partition, nextOffset: String(nextOffset) })),
});

const FACT_INPUT_COLUMNS = `{
  source_topic: 'VARCHAR', source_partition: 'INTEGER', source_offset: 'BIGINT', node_id: 'VARCHAR', metric: 'VARCHAR',
  value: 'DOUBLE', capacity: 'DOUBLE', unit: 'VARCHAR', event_time: 'BIGINT', source: 'VARCHAR',
  labels: 'MAP(VARCHAR, VARCHAR)', metadata_status: 'VARCHAR', instance_type: 'VARCHAR', zone: 'VARCHAR',
  node_labels: 'MAP(VARCHAR, VARCHAR)', metadata_updated_at: 'BIGINT', utilisation: 'DOUBLE'}`;

const FACT_COLUMNS = `node_id, metric, value, capacity, unit, event_time, source, labels, metadata_status, instance_type, zone,
  node_labels, metadata_updated_at, utilisation, source_topic, source_partition, source_offset`;

/** The fact rows DuckDB reads from the inputs, in the fixture's forms, ordered like `loadedFacts`. */
const expectedFacts = (records: readonly TableRecords['fact_node_metric'][]) =>
  reference(
    records,
    FACT_INPUT_COLUMNS,
    (input) => `SELECT node_id, metric, value, capacity, unit, CAST(event_time AS DOUBLE) AS event_time, source,
        ${mapAsJson('labels')} AS labels, metadata_status, instance_type, zone, ${mapAsJson('node_labels')} AS node_labels,
        CAST(metadata_updated_at AS DOUBLE) AS metadata_updated_at, utilisation, source_topic, source_partition,
        CAST(source_offset AS DOUBLE) AS source_offset
      FROM ${input} ORDER BY source_partition, source_offset`,
  );

const loadedFacts = (f: SnowflakeFixture) => f.sql.rows(`SELECT ${FACT_COLUMNS} FROM fact_node_metric ORDER BY source_partition, source_offset`);

describe('Snowflake facts (against fakesnow, a fake Snowflake)', () => {
  let fake: Fakesnow;
  let f: SnowflakeFixture;

  beforeAll(async () => {
    fake = await startFake();
  }, BEFORE_ALL_TIMEOUT);
  afterAll(() => fake.stop());
  beforeEach(async () => {
    f = await snowflakeFixture(fake, { stageThreshold: 100 });
  });
  afterEach(() => f.close());

  it('loads an array-bound batch over two partitions exactly as DuckDB reads the inputs, and stores the next offsets', async () => {
    const records = factRecords(40, { partitions: 2 });
    const result = await f.warehouse.writeBatch({ table: 'fact_node_metric', records }, commit([0, 20], [1, 20]));
    expect(result).toEqual({ table: 'fact_node_metric', loaded: 40, skipped: 0 });
    expect(await loadedFacts(f)).toEqual(await expectedFacts(records));
    expect(await f.warehouse.readOffsets('dwh-loader', ENRICHED_TOPIC)).toEqual([
      { topic: ENRICHED_TOPIC, partition: 0, nextOffset: '20' },
      { topic: ENRICHED_TOPIC, partition: 1, nextOffset: '20' },
    ]);
  });

  it('loads a batch at the stage threshold through PUT and COPY INTO, with the same rows as array binds give', async () => {
    const records = factRecords(400, { partitions: 2 });
    // Strings that a CSV file must carry intact: empty, quoted, with the delimiter, a newline, a backslash, and \N.
    records[0] = factRecord(0, enriched({ unit: '', source: 'say "hi", then\nleave', zone: '\\N', labels: { 'a,b': 'c\\d', '': '' } }));
    await f.warehouse.writeBatch({ table: 'fact_node_metric', records }, commit([0, 200], [1, 200]));
    expect(await loadedFacts(f)).toEqual(await expectedFacts(records));
  });

  it('never adds a re-delivered record twice: records below the stored next offset are skipped', async () => {
    const first = factRecords(10);
    await f.warehouse.writeBatch({ table: 'fact_node_metric', records: first }, commit([0, 10]));
    const again = await f.warehouse.writeBatch({ table: 'fact_node_metric', records: first }, commit([0, 10]));
    const partly = await f.warehouse.writeBatch({ table: 'fact_node_metric', records: factRecords(10, { firstOffset: 5 }) }, commit([0, 15]));

    expect([again.loaded, again.skipped, partly.loaded, partly.skipped]).toEqual([0, 10, 5, 5]);
    expect(await f.sql.rows('SELECT count(*) AS n, count(DISTINCT source_offset) AS offsets, max(source_offset) AS last FROM fact_node_metric')).toEqual([
      { n: 15, offsets: 15, last: 14 },
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

  it('rolls the whole batch back when a record cannot be converted: no rows, no offsets, a poison error with lineage', async () => {
    const bad = factRecord(3, { ...enriched(), value: 'high' as unknown as number });
    const error = await rejection(f.warehouse.writeBatch({ table: 'fact_node_metric', records: [...factRecords(3), bad] }, commit([0, 4])));

    expect([error.kind, error.code]).toEqual(['poison', 'WAREHOUSE_ROW_CONVERSION']);
    expect(error.details).toEqual({ table: 'fact_node_metric', column: 'value', topic: ENRICHED_TOPIC, partition: 0, offset: '3' });
    expect(await f.sql.scalar('SELECT (SELECT count(*) FROM fact_node_metric) + (SELECT count(*) FROM load_offsets)')).toBe(0);
  });

  it('rolls back rows already inserted when the offsets cannot be stored (a lock held by another session), then succeeds on retry', async () => {
    await f.warehouse.writeBatch({ table: 'fact_node_metric', records: factRecords(10) }, commit([0, 10]));
    // Another session holds an uncommitted change of the same offsets row: the batch's rows go in first, then its
    // offsets MERGE meets the lock. (Snowflake would make it wait; the fake refuses at once, as Snowflake does once
    // the wait fails.)
    await f.sql.rows('BEGIN');
    await f.sql.rows(`UPDATE load_offsets SET next_offset = 11 WHERE "PARTITION" = 0`);
    const error = await rejection(f.warehouse.writeBatch({ table: 'fact_node_metric', records: factRecords(20, { firstOffset: 10 }) }, commit([0, 30])));
    await f.sql.rows('ROLLBACK');

    expect([error.kind, error.code]).toEqual(['transient', 'WAREHOUSE_CONFLICT']);
    expect(await f.sql.rows('SELECT count(*) AS facts, max(source_offset) AS last FROM fact_node_metric')).toEqual([{ facts: 10, last: 9 }]);
    expect(await f.warehouse.readOffsets('dwh-loader', ENRICHED_TOPIC)).toEqual([{ topic: ENRICHED_TOPIC, partition: 0, nextOffset: '10' }]);

    await f.warehouse.writeBatch({ table: 'fact_node_metric', records: factRecords(20, { firstOffset: 10 }) }, commit([0, 30]));
    expect(await f.sql.scalar('SELECT count(DISTINCT source_offset) FROM fact_node_metric')).toBe(30);
  });
});
