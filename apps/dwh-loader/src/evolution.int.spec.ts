import { AvroSerde, type AvroSchema } from '@meterline/kafka';
import { nodeMetricEnrichedSchemaV1, type NodeMetricEnriched } from '@meterline/schemas';
import { waitFor } from '@meterline/testing';
import { enrichedInput } from './test-support/inputs';
import { openResults } from './test-support/reference';
import { caughtUp, loaderStack, runInProcess, type InProcessLoader, type LoaderStack } from './test-support/stack';

let s: LoaderStack;

beforeAll(async () => {
  s = await loaderStack('dwh-evolve');
});

afterAll(() => s.close());

const storedBy = (l: InProcessLoader) => async (topic: string) =>
  new Map((await l.loader.warehouse.readOffsets(l.loader.group, topic)).map((p) => [p.partition, p.nextOffset]));

/** v2 of the enriched value: two new fields with defaults, a BACKWARD-compatible change the registry accepts. */
const enrichedV2 = {
  ...(nodeMetricEnrichedSchemaV1 as object),
  fields: [
    ...(nodeMetricEnrichedSchemaV1 as { fields: object[] }).fields,
    { name: 'node_pool', type: ['null', 'string'], default: null, doc: 'The node pool; null when unknown.' },
    { name: 'tier', type: 'string', default: 'standard' },
  ],
} as unknown as AvroSchema;

type EnrichedV2 = NodeMetricEnriched & { node_pool: string | null; tier: string };

describe('schema evolution while loading', () => {
  it('adds the columns of a newer registered version mid-stream; rows of older writers read their defaults', async () => {
    const { enriched } = s.topics;
    const tagged = (values: NodeMetricEnriched[], source: string) => values.map((v) => ({ ...v, source }));
    const before = tagged(enrichedInput(300), 'v1 before');
    await s.sendEnriched(before);
    const l = await runInProcess(s.env({ DWH_LOADER_BATCH_MAX_WAIT: '100ms' }));
    await waitFor(() => caughtUp(s, storedBy(l)), { timeoutMs: 60_000, message: 'v1 records stored' });

    // A producer moves to v2 (registering it), another one stays on v1.
    const v2 = new AvroSerde<EnrichedV2>(s.registry, enriched.value.subject, enrichedV2);
    await v2.prepare();
    const newer = tagged(enrichedInput(200, 300), 'v2').map((v, i): EnrichedV2 => ({ ...v, node_pool: i % 4 === 0 ? null : `pool-${i % 3}`, tier: i % 2 ? 'spot' : 'on-demand' }));
    await s.sendRaw(enriched.name, newer.map((v) => ({ key: enriched.key.encode(v.node_id), value: v2.encode(v) })));
    const older = tagged(enrichedInput(100, 500), 'v1 after');
    await s.sendEnriched(older);
    await waitFor(() => caughtUp(s, storedBy(l)), { timeoutMs: 60_000, message: 'v1 and v2 records stored' });
    expect(await l.proc.terminate()).toBe(0);

    // A restart reads with the newest version from the start; the table already has its columns.
    const again = await runInProcess(s.env({ DWH_LOADER_BATCH_MAX_WAIT: '100ms' }));
    await s.sendEnriched(tagged(enrichedInput(50, 600), 'after restart'));
    await waitFor(() => caughtUp(s, storedBy(again)), { timeoutMs: 60_000, message: 'records after the restart stored' });
    expect(await again.proc.terminate()).toBe(0);

    const r = await openResults(s.dbPath);
    try {
      expect(await r.rows(`SELECT column_name, data_type, is_nullable FROM duckdb_columns() WHERE table_name = 'fact_node_metric' AND column_name IN ('node_pool', 'tier') ORDER BY column_index`)).toEqual([
        { column_name: 'node_pool', data_type: 'VARCHAR', is_nullable: true },
        { column_name: 'tier', data_type: 'VARCHAR', is_nullable: true },
      ]);
      // The producer's tag in `source` tells the rows apart.
      expect(await r.rows(`SELECT source, count(*) AS n, count(node_pool) AS pools, string_agg(DISTINCT tier, ',' ORDER BY tier) AS tiers
                              FROM fact_node_metric GROUP BY source ORDER BY source`)).toEqual([
        { source: 'after restart', n: '50', pools: '0', tiers: 'standard' },
        { source: 'v1 after', n: '100', pools: '0', tiers: 'standard' },
        { source: 'v1 before', n: '300', pools: '0', tiers: 'standard' },
        { source: 'v2', n: '200', pools: String(newer.filter((v) => v.node_pool !== null).length), tiers: 'on-demand,spot' },
      ]);
      expect(await r.rows(`SELECT node_pool, count(*) AS n FROM fact_node_metric WHERE source = 'v2' GROUP BY node_pool ORDER BY node_pool NULLS FIRST`)).toEqual([
        { node_pool: null, n: '50' },
        { node_pool: 'pool-0', n: String(newer.filter((v) => v.node_pool === 'pool-0').length) },
        { node_pool: 'pool-1', n: String(newer.filter((v) => v.node_pool === 'pool-1').length) },
        { node_pool: 'pool-2', n: String(newer.filter((v) => v.node_pool === 'pool-2').length) },
      ]);
      expect(await r.rows(`SELECT count(*) AS n, count(DISTINCT (source_partition, source_offset)) AS d FROM fact_node_metric`)).toEqual([{ n: '650', d: '650' }]);
    } finally {
      r.close();
    }
  }, 120_000);
});
