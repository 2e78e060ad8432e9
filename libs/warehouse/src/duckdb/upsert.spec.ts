import type { NodeMetricAgg } from '@meterline/schemas';
import { AGG_TOPIC, agg, aggRecord, WINDOW_START } from '../test-support/records';
import { rows, scalar, writeInputs } from '../test-support/sql';
import { type WarehouseFixture, warehouseFixture } from '../test-support/warehouse-fixture';
import type { TableRecords } from '../warehouse';

/** Every revision (0-3) of 3 nodes × 2 metrics × 3 windows; each revision has its own counts and sums. */
const revisions: NodeMetricAgg[] = [0, 1, 2].flatMap((node) =>
  ['cpu_usage', 'memory_usage'].flatMap((metric) =>
    [0, 1, 2].flatMap((w) =>
      [0, 1, 2, 3].map((revision) =>
        agg({
          node_id: `node-${node}`,
          metric,
          window_start: WINDOW_START + w * 300_000,
          window_end: WINDOW_START + (w + 1) * 300_000,
          revision,
          count: 10 + revision,
          sum: 30 + revision * 2.5,
          max: 5 + revision,
          missing_fields: revision === 0 ? {} : { capacity: revision },
          total_count: 100 * w + 10 + revision,
        }),
      ),
    ),
  ),
);

/** A deterministic shuffle (mulberry32), so a failing order can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const INPUT_COLUMNS = `{source_topic: 'VARCHAR', source_partition: 'INTEGER', source_offset: 'BIGINT', node_id: 'VARCHAR',
  metric: 'VARCHAR', window_start: 'BIGINT', revision: 'INTEGER', count: 'BIGINT', sum: 'DOUBLE', max: 'DOUBLE',
  missing_fields: 'MAP(VARCHAR, BIGINT)', total_count: 'BIGINT'}`;

/** The latest revision per window, by SQL over the inputs: the row whose revision is the window's maximum. */
const expectedLatest = (inputs: string) => `
  WITH input AS (SELECT * FROM read_json('${inputs}', format = 'newline_delimited', columns = ${INPUT_COLUMNS}))
  SELECT node_id, metric, window_start, revision, count, sum, max, list_sort(map_entries(missing_fields)) AS missing,
         total_count, source_offset
    FROM input
    JOIN (SELECT node_id, metric, window_start, max(revision) AS revision FROM input GROUP BY 1, 2, 3)
   USING (node_id, metric, window_start, revision)
   ORDER BY ALL`;

const loaded = `
  SELECT node_id, metric, epoch_ms(window_start) AS window_start, revision, count, sum, max,
         list_sort(map_entries(CAST(missing_fields AS MAP(VARCHAR, BIGINT)))) AS missing, total_count, source_offset
    FROM agg_node_metric ORDER BY ALL`;

async function load(f: WarehouseFixture, records: readonly TableRecords['agg_node_metric'][], batches: number): Promise<void> {
  const size = Math.ceil(records.length / batches);
  for (let start = 0; start < records.length; start += size) {
    const batch = records.slice(start, start + size);
    const next = String(Number(batch.at(-1)?.offset) + 1);
    await f.warehouse.writeBatch({ table: 'agg_node_metric', records: batch }, { group: 'dwh-loader', offsets: [{ topic: AGG_TOPIC, partition: 0, nextOffset: next }] });
  }
}

describe('aggregate upserts', () => {
  let f: WarehouseFixture;
  beforeEach(async () => {
    f = await warehouseFixture();
  });
  afterEach(() => f.close());

  it.each([
    ['in revision order, one batch', (r: NodeMetricAgg[]) => r, 1],
    ['in reverse revision order, one batch', (r: NodeMetricAgg[]) => [...r].reverse(), 1],
    ['shuffled, seven batches', (r: NodeMetricAgg[]) => shuffled(r, 7), 7],
    ['shuffled differently, one record per batch', (r: NodeMetricAgg[]) => shuffled(r, 42), revisions.length],
  ])('keep the highest revision of every window whatever the arrival order: %s', async (_, order, batches) => {
    const records = order(revisions).map((value, offset) => aggRecord(offset, value));
    await load(f, records, batches);

    const inputs = writeInputs(f.file('aggs.ndjson'), records);
    const table = await rows(f.sql, loaded);
    expect(table).toHaveLength(3 * 2 * 3);
    expect(table).toEqual(await rows(f.sql, expectedLatest(inputs)));
    expect(await scalar(f.sql, 'SELECT count(*) FROM agg_node_metric WHERE revision <> 3')).toBe('0');
  });

  it('keep the first record loaded among equal revisions, within a batch and across batches', async () => {
    const first = agg({ revision: 2, count: 1 });
    await load(f, [aggRecord(0, first), aggRecord(1, agg({ revision: 2, count: 2 }))], 1);
    await load(f, [aggRecord(2, agg({ revision: 2, count: 3 }))], 1);
    expect(await rows(f.sql, 'SELECT revision, count, source_offset FROM agg_node_metric')).toEqual([{ revision: 2, count: '1', source_offset: '0' }]);
  });
});
