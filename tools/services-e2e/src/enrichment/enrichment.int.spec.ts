import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeMetadata, NodeMetricEnriched } from '@meterline/schemas';
import { sharedData, uniqueName, waitFor } from '@meterline/testing';
import { Pipeline, topics, type Read } from './test-support/pipeline';
import { expectReferenceAggregates, latestAggregates, referenceAggregates, type WindowSettings } from './test-support/reference';

const WINDOW: WindowSettings = { sizeMs: 60_000, graceMs: 10_000, latenessMs: 5_000 };
/**
 * Retention of an hour covers the generator's late samples (at most 30 min behind), so each of them corrects its
 * window instead of being routed away. The idle timeout is long enough that a partition waiting for its turn in a busy
 * consumer is not taken for idle.
 */
const ENV = {
  ENRICHMENT_WINDOW_SIZE: '1m',
  ENRICHMENT_WINDOW_GRACE: '10s',
  ENRICHMENT_ALLOWED_LATENESS: '5s',
  ENRICHMENT_WINDOW_RETENTION: '1h',
  ENRICHMENT_IDLE_TIMEOUT: '10s',
  ENRICHMENT_HOLD_TIMEOUT: '3s',
  ENRICHMENT_CHUNK_SIZE: '200',
  ENRICHMENT_PUNCTUATE_INTERVAL: '500ms',
};

let dir: string;
const pipelines: Pipeline[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'meterline-enrichment-'));
});
afterAll(async () => {
  await Promise.all(pipelines.map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function pipeline(name: string): Promise<Pipeline> {
  const p = new Pipeline(`${uniqueName(name)}.`);
  pipelines.push(p);
  await p.start();
  return p;
}

const ready = async (url: Promise<string>) => (await fetch(`${await url}/readyz`)).status === 200;

/**
 * Waits until enrichment has emitted every expected enriched sample and closed every window the reference expects,
 * then checks both against the reference computed from the raw topic.
 */
async function expectReferenceResults(p: Pipeline, label: string): Promise<void> {
  const raw = await p.readAll(topics.raw);
  let enriched: Read<string, NodeMetricEnriched>[] = [];
  let reference = await referenceAggregates(dir, raw, enriched, WINDOW);
  let emitted = 0;
  let late: Read<string, NodeMetricEnriched>[] = [];
  await waitFor(
    async () => {
      enriched = await p.readAll(topics.enriched);
      if (enriched.length < reference.enrichedCount) return false;
      late = await p.readAll(topics.late);
      reference = await referenceAggregates(dir, raw, enriched, WINDOW, late);
      const keys = new Set(latestAggregates(await p.readAll(topics.aggregates)).map((a) => `${a['node_id']}/${a['metric']}/${a['window_start']}`));
      emitted = keys.size;
      return reference.required.every((a) => keys.has(`${a['node_id']}/${a['metric']}/${a['window_start']}`));
    },
    {
      timeoutMs: 120_000,
      intervalMs: 1_000,
      message: () => `${label}: ${enriched.length}/${reference.enrichedCount} enriched, ${emitted} windows of ${reference.required.length} required`,
    },
  );
  // Exactly once: not one enriched sample more than the distinct raw samples (a replayed chunk would add some).
  expect(enriched).toHaveLength(reference.enrichedCount);
  // Routed to the late topic only when older than retention allows: here, samples that waited for metadata in vain and
  // went on after the hold timeout, by when a fast replay's watermark was hours past them. Each is a real sample.
  const rawKeys = new Set(raw.map((r) => `${r.value.node_id}/${r.value.metric}/${r.value.event_time}`));
  expect(late.filter((l) => !rawKeys.has(`${l.value.node_id}/${l.value.metric}/${l.value.event_time}`))).toEqual([]);
  const actual = latestAggregates(await p.readAll(topics.aggregates));
  expect(reference.required.length).toBeGreaterThan(0);
  expectReferenceAggregates(actual, reference);
  process.stdout.write(`${label}: ${raw.length} raw → ${enriched.length} enriched, ${actual.length} windows equal to the SQL reference (${reference.required.length} required), ${late.length} routed late\n`);
}

describe('enrichment against a DuckDB SQL reference (built service, real Kafka)', () => {
  it('survives SIGKILL mid-stream: the restarted instance restores its state and the results are exactly the reference', async () => {
    const p = await pipeline('it.enrich.kill');
    const first = p.enrichment(ENV);
    await waitFor(() => ready(first.url), { timeoutMs: 60_000, message: 'enrichment ready' });
    const feeding = p.ingest(['generate', '--nodes', '12', '--hours', '4', '--seed', '11']);
    // Killed once it is well into the stream, with transactions committed before and open at the moment of death.
    await waitFor(async () => (await p.readAll(topics.enriched)).length >= 2_000, { timeoutMs: 60_000, intervalMs: 200 });
    first.signal('SIGKILL');
    expect(await first.exited).toBeNull();
    await feeding;
    const second = p.enrichment(ENV);
    await waitFor(() => ready(second.url), { timeoutMs: 60_000, message: 'restarted enrichment ready' });
    await expectReferenceResults(p, 'generated dataset, killed and restarted');
  }, 300_000);

  it('splits the partitions between two instances, each holding the whole metadata table, with the same results', async () => {
    const p = await pipeline('it.enrich.two');
    const a = p.enrichment(ENV);
    await waitFor(() => ready(a.url), { timeoutMs: 60_000, message: 'the first instance ready' });
    await p.ingest(['generate', '--nodes', '12', '--hours', '3', '--seed', '23']);
    // The second joins once the first has state — windows, held samples — in every partition: half of it moves, and
    // partitions that get no record after the move must still release and close what they restored.
    await waitFor(async () => (await p.readAll(topics.enriched)).length >= 1_000, { timeoutMs: 60_000, intervalMs: 200 });
    const b = p.enrichment(ENV);
    await waitFor(async () => (await ready(a.url)) && (await ready(b.url)), { timeoutMs: 90_000, message: 'both ready' });
    const partitionsOf = async (s: typeof a) => {
      const report = (await (await fetch(`${await s.url}/readyz`)).json()) as { checks: { name: string; detail?: string }[] };
      return report.checks.find((c) => c.name === 'consumer')?.detail ?? '';
    };
    await expectReferenceResults(p, 'generated dataset, two instances');
    // Both took part: six partitions split between them.
    // (Asked until both answer with partitions: a readiness probe landing in a rebalance sees none for a moment.)
    let [pa, pb] = ['', ''];
    await waitFor(
      async () => {
        [pa, pb] = [await partitionsOf(a), await partitionsOf(b)];
        return /partitions \[\d/.test(pa) && /partitions \[\d/.test(pb);
      },
      { timeoutMs: 30_000, intervalMs: 500, message: () => `both instances with partitions (a: ${pa}, b: ${pb})` },
    ).catch(() => undefined);
    // Neither gave up on the way (a failed transaction during the rebalance would have ended one, its results taken
    // over by the other).
    const failures = [...a.logs, ...b.logs].filter((l) => l['level'] === 'fatal').map((l) => JSON.stringify(l).slice(0, 500));
    expect({ pa, pb, failures }).toEqual({ pa: expect.stringMatching(/partitions \[\d/), pb: expect.stringMatching(/partitions \[\d/), failures: [] });
  }, 300_000);

  it('joins real series onto the seed node table: a NAB series and a cluster-capacity file as two seed nodes', async () => {
    const p = await pipeline('it.enrich.real');
    await p.ingest(['replay', sharedData('k8s-seed', 'node_metadata.parquet.gz'), '--mapping', 'seed-metadata']);
    const nodes = (await p.readAll(topics.metadata)) as Read<string, NodeMetadata>[];
    expect(nodes).toHaveLength(33_583);
    const [nabNode, poolNode] = [nodes[0]?.key ?? '', nodes[1]?.key ?? ''];
    // The cluster-pool mapping with the node id from a flag instead of the pool column.
    const poolMapping = join(dir, 'pool-as-node.json');
    writeFileSync(
      poolMapping,
      JSON.stringify({
        produces: 'metrics',
        csv: { header: false, columns: ['pool', 'ts', 'ts_end', 'cpu', 'mem'] },
        fields: { node_id: { flag: 'nodeId' }, event_time: 'ts', unit: { const: 'percent' } },
        records: [
          { metric: { const: 'cpu_utilization' }, value: 'cpu' },
          { metric: { const: 'memory_utilization' }, value: 'mem' },
        ],
      }),
    );
    const service = p.enrichment(ENV);
    await waitFor(() => ready(service.url), { timeoutMs: 90_000, message: 'enrichment ready with 33,583 nodes' });
    await p.ingest(['replay', sharedData('cluster-capacity', 'cluster1', 'cluster1-dataseries-cpu-mem-202408_1.csv'), '--mapping', poolMapping, '--node-id', poolNode]);
    await expectReferenceResults(p, 'cluster-capacity on a seed node');
    // The NAB series lies ten years earlier: a pipeline of its own, or every sample would be behind the watermark.
    const nab = await pipeline('it.enrich.nab');
    await nab.ingest(['replay', sharedData('k8s-seed', 'node_metadata.parquet.gz'), '--mapping', 'seed-metadata']);
    const nabService = nab.enrichment(ENV);
    await waitFor(() => ready(nabService.url), { timeoutMs: 90_000, message: 'enrichment ready' });
    await nab.ingest(['replay', sharedData('nab', 'realAWSCloudwatch', 'ec2_cpu_utilization_24ae8d.csv'), '--mapping', 'nab-series', '--node-id', nabNode]);
    await expectReferenceResults(nab, 'NAB series on a seed node');
    const joined = (await nab.readAll(topics.enriched)).filter((e) => e.value.metadata_status === 'joined');
    expect(joined.length).toBeGreaterThan(0);
  }, 400_000);
});

