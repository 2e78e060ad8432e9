import { randomUUID } from 'node:crypto';
import { type Fakesnow, startFakesnow } from '@meterline/fakesnow';
import { waitFor } from '@meterline/testing';
import snowflake from 'snowflake-sdk';
import { aggInput, enrichedInput, metadataInput } from './test-support/inputs';
import { caughtUp, loaderStack, runInProcess, type LoaderStack } from './test-support/stack';

// dwh-loader with DWH_LOADER_WAREHOUSE=snowflake: the real snowflake-sdk against fakesnow, a fake Snowflake (Snowflake
// SQL on DuckDB, tools/fakesnow). What it proves and does not: see libs/warehouse's Snowflake specs and the README.

let s: LoaderStack;
let fake: Fakesnow;

beforeAll(async () => {
  s = await loaderStack('dwh-snow');
  // The first start on a machine builds the fake's Python venv.
  fake = await startFakesnow();
}, 10 * 60_000);

afterAll(async () => {
  await fake?.stop();
  await s?.close();
});

type Row = Record<string, unknown>;

/** An independent session on the fake: what the loader wrote, read back with plain SQL. */
async function query(schema: string, sqlText: string): Promise<Row[]> {
  const connection = snowflake.createConnection({ account: fake.account, accessUrl: fake.accessUrl, username: 'reader', password: 'fake', database: 'METERLINE', schema });
  await new Promise<void>((resolve, reject) => connection.connect((err) => (err ? reject(err) : resolve())));
  try {
    return await new Promise<Row[]>((resolve, reject) =>
      connection.execute({
        sqlText,
        complete: (err, _, rows) => (err ? reject(err) : resolve(((rows ?? []) as Row[]).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k.toLowerCase(), v]))))),
      }),
    );
  } finally {
    await new Promise<void>((resolve) => connection.destroy(() => resolve()));
  }
}

describe('dwh-loader into Snowflake (fakesnow)', () => {
  it('loads every table with the same exactly-once rules, and stores the topics’ end offsets', async () => {
    snowflake.configure({ logLevel: 'OFF' });
    const schema = `T_${randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase()}`;
    const facts = enrichedInput(240);
    const aggs = aggInput(3);
    const metadata = metadataInput(6);
    await s.sendEnriched(facts);
    await s.sendAgg(aggs);
    await s.sendMetadata(metadata);
    await s.sendRaw(s.topics.enriched.name, [{ key: 'poison', value: Buffer.from('not avro') }]);

    const l = await runInProcess(
      s.env({
        DWH_LOADER_WAREHOUSE: 'snowflake',
        DWH_LOADER_SNOWFLAKE_ACCOUNT: fake.account,
        DWH_LOADER_SNOWFLAKE_ACCESS_URL: fake.accessUrl,
        DWH_LOADER_SNOWFLAKE_USER: 'dwh_loader',
        DWH_LOADER_SNOWFLAKE_PASSWORD: 'fake',
        DWH_LOADER_SNOWFLAKE_DATABASE: 'METERLINE',
        DWH_LOADER_SNOWFLAKE_SCHEMA: schema,
        DWH_LOADER_BATCH_MAX_WAIT: '200ms',
      }),
    );
    const stored = async (topic: string) => new Map((await l.loader.warehouse.readOffsets(l.loader.group, topic)).map((p) => [p.partition, p.nextOffset]));
    await waitFor(() => caughtUp(s, stored), { timeoutMs: 120_000, intervalMs: 500, message: 'stored offsets at the end of every topic' });
    expect(await l.proc.terminate()).toBe(0);

    const counts = await query(
      schema,
      `SELECT (SELECT count(*) FROM fact_node_metric) AS facts,
              (SELECT count(DISTINCT source_partition * 1000000 + source_offset) FROM fact_node_metric) AS lineage,
              (SELECT round(sum(value), 6) FROM fact_node_metric) AS value_sum,
              (SELECT count(*) FROM agg_node_metric) AS aggs,
              (SELECT count(*) FROM dim_node WHERE valid_to IS NULL) AS current_nodes`,
    );
    expect(counts).toEqual([
      {
        facts: facts.length,
        lineage: facts.length,
        value_sum: Math.round(facts.reduce((sum, f) => sum + f.value, 0) * 1e6) / 1e6,
        aggs: 3 * 12,
        current_nodes: 4,
      },
    ]);
    // Highest revision per window; between equal revisions the first produced.
    const best = new Map<string, (typeof aggs)[number]['value']>();
    for (const { value } of aggs) {
      const key = `${value.node_id}|${value.metric}|${value.window_start}`;
      const known = best.get(key);
      if (known === undefined || value.revision > known.revision) best.set(key, value);
    }
    const loaded = await query(schema, 'SELECT node_id, metric, revision, "COUNT" AS n, sum FROM agg_node_metric ORDER BY node_id, metric, window_start');
    const expected = [...best.values()]
      .sort((a, b) => a.node_id.localeCompare(b.node_id) || a.metric.localeCompare(b.metric) || a.window_start - b.window_start)
      .map((v) => ({ node_id: v.node_id, metric: v.metric, revision: v.revision, n: v.count, sum: v.sum }));
    expect(loaded).toEqual(expected);
    const offsets = await query(schema, `SELECT topic, partition, next_offset FROM load_offsets ORDER BY topic, partition`);
    const ends = [];
    for (const topic of [s.topics.agg.name, s.topics.enriched.name, s.topics.metadata.name].sort()) {
      for (const [partition, end] of [...(await s.endOffsets(topic))].sort(([a], [b]) => a - b)) if (end !== '0') ends.push({ topic, partition, next_offset: Number(end) });
    }
    expect(offsets).toEqual(ends);
  }, 240_000);
});
