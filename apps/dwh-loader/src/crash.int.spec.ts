import { join } from 'node:path';
import { readRecords } from '@meterline/kafka';
import { spawnService, type ServiceProcess } from '@meterline/demo';
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
import { loaderStack, type LoaderStack } from './test-support/stack';

let s: LoaderStack;
const children: ServiceProcess[] = [];

beforeAll(async () => {
  s = await loaderStack('dwh-crash');
});

afterAll(async () => {
  for (const c of children) c.signal('SIGKILL');
  await s.close();
});

const KILLS = 5;
const FACTS_PER_ROUND = 20_000;

/** Records Kafka counts as consumed by the group (its committed offsets summed) and records in the topics. */
async function progress(group: string): Promise<{ committed: number; total: number }> {
  let committed = 0;
  let total = 0;
  for (const topic of [s.topics.enriched.name, s.topics.agg.name, s.topics.metadata.name]) {
    for (const end of (await s.endOffsets(topic)).values()) total += Number(end);
    const [offsets] = await s.admin.fetchOffsets({ groupId: group, topics: [topic] });
    for (const { offset } of offsets?.partitions ?? []) committed += Math.max(0, Number(offset));
  }
  return { committed, total };
}

/** Kafka's committed offsets of the group (the loader's monitoring commits, made after each warehouse commit). */
async function committedEverything(group: string): Promise<boolean> {
  for (const topic of [s.topics.enriched.name, s.topics.agg.name, s.topics.metadata.name]) {
    const ends = await s.endOffsets(topic);
    const [committed] = await s.admin.fetchOffsets({ groupId: group, topics: [topic] });
    for (const { partition, offset } of committed?.partitions ?? []) {
      const end = ends.get(partition) ?? '0';
      if (end !== '0' && offset !== end) return false;
    }
  }
  return true;
}

describe('dwh-loader as a process, SIGKILLed while loading', () => {
  it(`ends with every table complete and without duplicates after ${KILLS} kills at random points`, async () => {
    const env = s.env({ LOG_LEVEL: 'info', DWH_LOADER_BATCH_ROWS: '4000', DWH_LOADER_BATCH_MAX_WAIT: '300ms' });
    const facts = enrichedInput(FACTS_PER_ROUND * KILLS);
    const aggs = aggInput(50);
    const metadata = metadataInput(15);
    const share = <T>(items: readonly T[], round: number) =>
      items.slice(Math.floor((items.length * round) / KILLS), Math.floor((items.length * (round + 1)) / KILLS));

    const group = `${s.prefix}dwh-loader`;
    const kills: { delayMs: number; committed: number; total: number }[] = [];
    for (let round = 0; round < KILLS; round++) {
      const child = spawnService('dwh-loader', env);
      children.push(child);
      await child.url;
      // Records arrive while the loader runs; once it has stored some of them, it dies at a random moment after.
      const before = await progress(group);
      const producing = Promise.all([
        s.sendEnriched(share(facts, round)),
        s.sendAgg(share(aggs, round)),
        s.sendMetadata(share(metadata, round)),
      ]);
      await waitFor(async () => (await progress(group)).committed > before.committed, {
        timeoutMs: 60_000,
        intervalMs: 50,
        message: `loader ${round + 1} storing records`,
      });
      const delay = Math.floor(Math.random() * 800);
      await new Promise((r) => setTimeout(r, delay));
      child.signal('SIGKILL');
      expect(await child.exited).toBeNull();
      kills.push({ delayMs: delay, ...(await progress(group)) });
      await producing;
    }

    const last = spawnService('dwh-loader', env);
    children.push(last);
    await last.url;
    await waitFor(() => committedEverything(group), { timeoutMs: 120_000, intervalMs: 500, message: 'the last loader to catch up' });
    last.signal('SIGTERM');
    expect(await last.exited).toBe(0);
    // Every loader was killed after it had stored records, most of them with records still to load.
    process.stdout.write(`kills: ${JSON.stringify(kills)}\n`);
    expect(kills.filter((k) => k.committed < k.total).length).toBeGreaterThanOrEqual(3);

    const dir = join(s.dbPath, '..');
    const r = await openResults(s.dbPath);
    try {
      expect(await r.diff(expectedFacts(writeNdjson(join(dir, 'facts.ndjson'), factLines(facts))), actualFacts)).toEqual({ missing: [], extra: [] });
      expect(await r.diff(expectedAggs(writeNdjson(join(dir, 'aggs.ndjson'), aggLines(aggs.map((a) => a.value)))), actualAggs)).toEqual({ missing: [], extra: [] });
      expect(await r.rows(`SELECT count(*) AS n, count(DISTINCT (source_partition, source_offset)) AS d FROM fact_node_metric`)).toEqual([
        { n: String(facts.length), d: String(facts.length) },
      ]);

      const consumed = await readRecords(s.kafka, s.producer, s.topics.metadata, metadata.length);
      const ordered = consumed
        .sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset))
        .map((c) => ({ key: c.key as string, value: c.value as NodeMetadata | null, timestamp: c.timestamp }));
      const history = (await r.rows(actualHistory)).map((v) => ({ ...v, valid_from: Number(v['valid_from']), valid_to: v['valid_to'] === null ? null : Number(v['valid_to']) }));
      expect(history).toEqual(expectedHistory(ordered).sort((a, b) => a.node_id.localeCompare(b.node_id) || a.valid_from - b.valid_from));

      const stored = await r.rows(`SELECT topic, partition, next_offset FROM load_offsets WHERE consumer_group = '${group}' ORDER BY topic, partition`);
      const ends = [];
      for (const topic of [s.topics.enriched.name, s.topics.agg.name, s.topics.metadata.name].sort()) {
        for (const [partition, end] of [...(await s.endOffsets(topic))].sort(([a], [b]) => a - b)) {
          if (end !== '0') ends.push({ topic, partition, next_offset: end });
        }
      }
      expect(stored).toEqual(ends);
    } finally {
      r.close();
    }
  }, 300_000);
});
