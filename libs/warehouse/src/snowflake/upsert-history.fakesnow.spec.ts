import type { Fakesnow } from '@meterline/fakesnow';
import type { NodeMetricAgg } from '@meterline/schemas';
import { AGG_TOPIC, agg, aggRecord, metadata, metadataRecord, METADATA_TOPIC, tombstone, WINDOW_START } from '../test-support/records';
import type { TableRecords } from '../warehouse';
import { BEFORE_ALL_TIMEOUT, type SnowflakeFixture, snowflakeFixture, startFake } from './test-support/fakesnow-fixture';
import { mapAsJson, reference } from './test-support/reference';

// MERGE upserts and SCD2 history of the Snowflake backend, through the real snowflake-sdk against fakesnow (a fake).

/** Every revision (0-3) of 2 nodes × 2 metrics × 2 windows, each with its own counts: 32 records. */
const revisions: NodeMetricAgg[] = [0, 1].flatMap((node) =>
  ['cpu_usage', 'memory_usage'].flatMap((metric) =>
    [0, 1].flatMap((w) =>
      [0, 1, 2, 3].map((revision) =>
        agg({
          node_id: `node-${node}`,
          metric,
          window_start: WINDOW_START + w * 300_000,
          window_end: WINDOW_START + (w + 1) * 300_000,
          revision,
          count: 10 + revision,
          sum: 30 + revision * 2.5,
          missing_fields: revision === 0 ? {} : { capacity: revision },
        }),
      ),
    ),
  ),
);

/** A fixed permutation that puts lower revisions after higher ones across batches. */
const shuffled = <T>(items: readonly T[]): T[] => items.map((item, i) => ({ item, order: (i * 13) % items.length })).sort((a, b) => a.order - b.order).map((x) => x.item);

const AGG_INPUT_COLUMNS = `{source_topic: 'VARCHAR', source_partition: 'INTEGER', source_offset: 'BIGINT', node_id: 'VARCHAR',
  metric: 'VARCHAR', window_start: 'BIGINT', revision: 'INTEGER', count: 'BIGINT', sum: 'DOUBLE',
  missing_fields: 'MAP(VARCHAR, BIGINT)'}`;

async function loadAggs(f: SnowflakeFixture, records: readonly TableRecords['agg_node_metric'][], batches: number): Promise<void> {
  const size = Math.ceil(records.length / batches);
  for (let start = 0; start < records.length; start += size) {
    const batch = records.slice(start, start + size);
    const next = String(Number(batch.at(-1)?.offset) + 1);
    await f.warehouse.writeBatch({ table: 'agg_node_metric', records: batch }, { group: 'dwh-loader', offsets: [{ topic: AGG_TOPIC, partition: 0, nextOffset: next }] });
  }
}

const MINUTE = 60_000;
const at = (minutes: number) => WINDOW_START + minutes * MINUTE;

describe('Snowflake upserts and history (against fakesnow, a fake Snowflake)', () => {
  let fake: Fakesnow;
  let f: SnowflakeFixture;

  beforeAll(async () => {
    fake = await startFake();
  }, BEFORE_ALL_TIMEOUT);
  afterAll(() => fake.stop());
  beforeEach(async () => {
    f = await snowflakeFixture(fake);
  });
  afterEach(() => f.close());

  it('keeps the highest revision of every window whatever the arrival order, as the latest revision per window over the inputs', async () => {
    const records = shuffled(revisions).map((value, offset) => aggRecord(offset, value));
    await loadAggs(f, records, 3);
    const expected = await reference(
      records,
      AGG_INPUT_COLUMNS,
      (input) => `SELECT node_id, metric, CAST(window_start AS DOUBLE) AS window_start, revision, CAST(count AS DOUBLE) AS count, sum,
          ${mapAsJson('missing_fields')} AS missing_fields, CAST(source_offset AS DOUBLE) AS source_offset
        FROM ${input} JOIN (SELECT node_id, metric, window_start, max(revision) AS revision FROM ${input} GROUP BY ALL)
       USING (node_id, metric, window_start, revision) ORDER BY node_id, metric, window_start`,
    );
    expect(expected).toHaveLength(8);
    expect(
      await f.sql.rows(
        `SELECT node_id, metric, window_start, revision, count, sum, missing_fields, source_offset FROM agg_node_metric ORDER BY node_id, metric, window_start`,
      ),
    ).toEqual(expected);
  });

  it('keeps the first record loaded among equal revisions, within a batch and across batches', async () => {
    await loadAggs(f, [aggRecord(0, agg({ revision: 2, count: 1 })), aggRecord(1, agg({ revision: 2, count: 2 }))], 1);
    await loadAggs(f, [aggRecord(2, agg({ revision: 2, count: 3 }))], 1);
    expect(await f.sql.rows('SELECT revision, count, source_offset FROM agg_node_metric')).toEqual([{ revision: 2, count: 1, source_offset: 0 }]);
  });

  it('keeps one dim_node version per change, closes it at the next change or a tombstone, and adds none for repeats or stale records', async () => {
    let offset = 0;
    const write = (records: TableRecords['dim_node'][]) => {
      offset += records.length;
      return f.warehouse.writeBatch({ table: 'dim_node', records }, { group: 'dwh-loader', offsets: [{ topic: METADATA_TOPIC, partition: 0, nextOffset: String(offset) }] });
    };
    await write([
      metadataRecord(0, metadata({ zone: 'a', labels: { x: '1', y: '2' }, updated_at: at(0) })),
      metadataRecord(1, metadata({ node_id: 'node-2', updated_at: at(0) })),
    ]);
    await write([
      // unchanged (labels in another order), then stale: neither adds a version
      metadataRecord(2, metadata({ zone: 'a', labels: { y: '2', x: '1' }, updated_at: at(5) })),
      metadataRecord(3, metadata({ zone: 'stale', updated_at: at(-5) })),
      metadataRecord(4, metadata({ zone: 'b', labels: { x: '1', y: '2' }, updated_at: at(10) })),
      metadataRecord(5, metadata({ zone: 'c', labels: { x: '1', y: '2' }, updated_at: at(20) })),
    ]);
    await write([tombstone(6, 'node-2', at(30))]);
    await write([tombstone(7, 'node-1', at(40)), metadataRecord(8, metadata({ node_id: 'node-1', zone: 'd', instance_type: null, updated_at: at(45) }))]);

    expect(await f.sql.rows('SELECT node_id, zone, instance_type, labels, valid_from, valid_to, source_offset FROM dim_node ORDER BY node_id, valid_from')).toEqual([
      { node_id: 'node-1', zone: 'a', instance_type: 'm5.xlarge', labels: '{"x":"1","y":"2"}', valid_from: at(0), valid_to: at(10), source_offset: 0 },
      { node_id: 'node-1', zone: 'b', instance_type: 'm5.xlarge', labels: '{"x":"1","y":"2"}', valid_from: at(10), valid_to: at(20), source_offset: 4 },
      { node_id: 'node-1', zone: 'c', instance_type: 'm5.xlarge', labels: '{"x":"1","y":"2"}', valid_from: at(20), valid_to: at(40), source_offset: 5 },
      { node_id: 'node-1', zone: 'd', instance_type: null, labels: '{"kubernetes.io/os":"linux"}', valid_from: at(45), valid_to: null, source_offset: 8 },
      { node_id: 'node-2', zone: 'eu-west-1a', instance_type: 'm5.xlarge', labels: '{"kubernetes.io/os":"linux"}', valid_from: at(0), valid_to: at(30), source_offset: 1 },
    ]);
  });

  it('refuses a tombstone without a key as poison, and writes nothing', async () => {
    const bad = { ...tombstone(0, 'node-1', at(0)), key: null };
    await expect(
      f.warehouse.writeBatch({ table: 'dim_node', records: [bad] }, { group: 'dwh-loader', offsets: [{ topic: METADATA_TOPIC, partition: 0, nextOffset: '1' }] }),
    ).rejects.toMatchObject({ kind: 'poison', details: { column: 'node_id', offset: '0' } });
    expect(await f.sql.scalar('SELECT (SELECT count(*) FROM dim_node) + (SELECT count(*) FROM load_offsets)')).toBe(0);
  });
});
