import { join } from 'node:path';
import { frame, readRawMessages, readRecords } from '@meterline/kafka';
import type { NodeMetadata } from '@meterline/schemas';
import { waitFor } from '@meterline/testing';
import { aggInput, enrichedInput, metadataInput } from './test-support/inputs';
import {
  actualAggs,
  actualFacts,
  actualHistory,
  aggLines,
  expectedAggs,
  expectedFacts,
  expectedHistory,
  factLines,
  openResults,
  writeNdjson,
} from './test-support/reference';
import { sample } from './test-support/scrape';
import { caughtUp, loaderStack, runInProcess, type InProcessLoader, type LoaderStack } from './test-support/stack';

let s: LoaderStack;

beforeAll(async () => {
  s = await loaderStack('dwh');
});

afterAll(() => s.close());

const storedBy = (l: InProcessLoader) => async (topic: string) =>
  new Map((await l.loader.warehouse.readOffsets(l.loader.group, topic)).map((p) => [p.partition, p.nextOffset]));


describe('dwh-loader in-process on the local stack', () => {
  const facts = [...enrichedInput(3_000), ...enrichedInput(2_000, 3_000)];
  const aggs = aggInput(40);
  const metadata = metadataInput(12);

  it('loads every table exactly as SQL over the input gives it, dead-letters poison, and stores the topics’ end offsets', async () => {
    const { enriched, agg, metadata: meta } = s.topics;
    // Before the loader starts: the first half of everything, and poison of every kind the decoder can meet.
    await s.sendEnriched(facts.slice(0, 3_000));
    await s.sendAgg(aggs.slice(0, 500));
    await s.sendMetadata(metadata.slice(0, 20));
    const valid = enriched.value.encode(facts[0] as (typeof facts)[number]);
    await s.sendRaw(enriched.name, [
      { key: 'poison-a', value: Buffer.from('{"not":"avro"}') },
      { key: 'poison-b', value: valid.subarray(0, 12) },
      { key: 'poison-c', value: null },
      { key: 'poison-d', value: frame(999_999_999, valid.subarray(5)) },
    ]);
    await s.sendRaw(agg.name, [{ key: 'poison-e', value: Buffer.from([0, 0, 0]) }]);
    await s.sendRaw(meta.name, [{ key: 'poison-f', value: Buffer.from('garbage') }]);

    const l = await runInProcess(s.env({ DWH_LOADER_BATCH_ROWS: '700', DWH_LOADER_BATCH_MAX_WAIT: '200ms' }));
    // While it runs: the rest.
    await s.sendEnriched(facts.slice(3_000));
    await s.sendAgg(aggs.slice(500));
    await s.sendMetadata(metadata.slice(20));

    await waitFor(() => caughtUp(s, storedBy(l)), { timeoutMs: 60_000, message: 'stored offsets at the end of every topic' });
    expect((await l.get('/readyz')).status).toBe(200);
    const scraped = (await l.get('/metrics')).body;
    expect(sample(scraped, 'warehouse_rows_loaded_total', { table: 'fact_node_metric' })).toBe(5_000);
    expect(sample(scraped, 'warehouse_rows_rejected_total', { table: 'fact_node_metric', reason: 'DECODE_BAD_MAGIC' })).toBe(1);
    expect(sample(scraped, 'warehouse_unavailable')).toBe(0);
    expect(sample(scraped, 'warehouse_load_lag_seconds', { table: 'agg_node_metric' })).toBeGreaterThan(0);
    expect(sample(scraped, 'warehouse_batch_rows_count', { table: 'fact_node_metric' })).toBeGreaterThanOrEqual(8);
    expect(await l.proc.terminate()).toBe(0);

    const letters = await readRawMessages(s.kafka, enriched.dlq, 4);
    expect(letters.map((d) => [d.key?.toString(), d.headers['error.code'], d.headers['error.step'], d.headers['source.topic']]).sort()).toEqual([
      ['poison-a', 'DECODE_BAD_MAGIC', 'decode', enriched.name],
      ['poison-b', 'DECODE_TRUNCATED', 'decode', enriched.name],
      ['poison-c', 'NULL_VALUE', 'decode', enriched.name],
      ['poison-d', 'DECODE_UNKNOWN_SCHEMA', 'decode', enriched.name],
    ]);
    expect(letters.find((d) => d.key?.toString() === 'poison-a')?.value?.toString()).toBe('{"not":"avro"}');
    expect((await readRawMessages(s.kafka, agg.dlq, 1)).map((d) => d.headers['error.code'])).toEqual(['DECODE_TOO_SHORT']);
    expect((await readRawMessages(s.kafka, meta.dlq, 1)).map((d) => d.headers['error.code'])).toEqual(['DECODE_BAD_MAGIC']);

    const dir = join(s.dbPath, '..');
    const r = await openResults(s.dbPath);
    try {
      const factDiff = await r.diff(expectedFacts(writeNdjson(join(dir, 'facts.ndjson'), factLines(facts))), actualFacts);
      expect(factDiff).toEqual({ missing: [], extra: [] });
      const aggDiff = await r.diff(expectedAggs(writeNdjson(join(dir, 'aggs.ndjson'), aggLines(aggs.map((a) => a.value)))), actualAggs);
      expect(aggDiff).toEqual({ missing: [], extra: [] });
      expect((await r.rows('SELECT count(*) AS n FROM agg_node_metric'))[0]).toEqual({ n: String(40 * 12) });

      // Tombstones close versions at their broker timestamp: read back from the topic, as the loader saw them.
      const consumed = await readRecords(s.kafka, s.producer, meta, metadata.length);
      const ordered = consumed
        .filter((c) => c.key !== 'poison-f')
        .sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset))
        .map((c) => ({ key: c.key as string, value: c.value as NodeMetadata | null, timestamp: c.timestamp }));
      const history = (await r.rows(actualHistory)).map((v) => ({ ...v, valid_from: Number(v['valid_from']), valid_to: v['valid_to'] === null ? null : Number(v['valid_to']) }));
      const expected = expectedHistory(ordered).sort((a, b) => a.node_id.localeCompare(b.node_id) || a.valid_from - b.valid_from);
      expect(history).toEqual(expected);
      expect(expected.filter((v) => v.valid_to === null)).toHaveLength(8);

      // Lineage is unique: no record was written twice.
      expect(await r.rows(`SELECT count(*) AS n, count(DISTINCT (source_partition, source_offset)) AS d FROM fact_node_metric`)).toEqual([{ n: '5000', d: '5000' }]);
      const stored = await r.rows(`SELECT topic, partition, next_offset FROM load_offsets WHERE consumer_group = '${l.loader.group}' ORDER BY topic, partition`);
      const ends = [];
      for (const topic of [enriched.name, agg.name, meta.name].sort()) {
        for (const [partition, end] of [...(await s.endOffsets(topic))].sort(([a], [b]) => a - b)) {
          if (end !== '0') ends.push({ topic, partition, next_offset: end });
        }
      }
      expect(stored).toEqual(ends);
    } finally {
      r.close();
    }

  }, 120_000);

  it('resumes from the offsets in the warehouse, not Kafka’s: with the group’s Kafka offsets rewound, nothing is read twice', async () => {
    const l = await runInProcess(s.env({ DWH_LOADER_BATCH_MAX_WAIT: '100ms' }));
    const group = l.loader.group;
    await waitFor(async () => (await l.get('/readyz')).status === 200, { timeoutMs: 30_000, message: 'ready' });
    expect(await l.proc.terminate()).toBe(0);
    // What a monitoring commit said is forgotten: Kafka now believes the group has read nothing.
    await s.admin.resetOffsets({ groupId: group, topic: s.topics.enriched.name, earliest: true });

    const more = enrichedInput(500, 5_000);
    await s.sendEnriched(more);
    const again = await runInProcess(s.env({ DWH_LOADER_BATCH_MAX_WAIT: '100ms' }));
    await waitFor(() => caughtUp(s, storedBy(again)), { timeoutMs: 60_000, message: 'the new records stored' });
    const scraped = (await again.get('/metrics')).body;
    expect(await again.proc.terminate()).toBe(0);

    // Only the new records were consumed: the stored positions, not the rewound Kafka offsets, decided where to start.
    expect(sample(scraped, 'records_consumed_total', { topic: s.topics.enriched.name, outcome: 'ok' })).toBe(500);
    expect(sample(scraped, 'records_consumed_total', { topic: s.topics.enriched.name, outcome: 'skipped' })).toBeUndefined();
    const r = await openResults(s.dbPath);
    try {
      expect(await r.rows(`SELECT count(*) AS n, count(DISTINCT (source_partition, source_offset)) AS d FROM fact_node_metric`)).toEqual([{ n: '5500', d: '5500' }]);
    } finally {
      r.close();
    }
  }, 120_000);
});
