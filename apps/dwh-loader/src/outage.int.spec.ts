import { waitFor } from '@meterline/testing';
import { openWarehouse } from './warehouse-factory';
import { FlakyWarehouse } from './test-support/flaky-warehouse';
import { enrichedInput } from './test-support/inputs';
import { openResults } from './test-support/reference';
import { sample } from './test-support/scrape';
import { caughtUp, loaderStack, runInProcess, type LoaderStack } from './test-support/stack';

/** A loader whose warehouse can be switched off; each test has topics and a warehouse file of its own. */
async function flakyLoader(name: string, env: Readonly<Record<string, string>> = {}) {
  const s = await loaderStack(name);
  let flaky: FlakyWarehouse | undefined;
  const l = await runInProcess(s.env({ DWH_LOADER_BATCH_MAX_WAIT: '100ms', ...env }), {
    open: async (config) => (flaky = new FlakyWarehouse(await openWarehouse(config))),
  });
  const warehouse = flaky as FlakyWarehouse;
  const stored = async (topic: string) =>
    new Map((await warehouse.real.readOffsets(l.loader.group, topic)).map((p) => [p.partition, p.nextOffset]));
  return { s, l, warehouse, stored };
}

const stacks: LoaderStack[] = [];
afterAll(() => Promise.all(stacks.map((s) => s.close())));

describe('a warehouse outage', () => {
  it('pauses loading with /readyz false, loses nothing, and resumes when the warehouse is back', async () => {
    const { s, l, warehouse, stored } = await flakyLoader('dwh-outage');
    stacks.push(s);
    await s.sendEnriched(enrichedInput(1_000));
    await waitFor(() => caughtUp(s, stored), { timeoutMs: 60_000, message: 'first records stored' });
    const before = await stored(s.topics.enriched.name);

    warehouse.mode = 'down';
    await s.sendEnriched(enrichedInput(1_000, 1_000));
    await waitFor(async () => (await l.get('/readyz')).status === 503, { timeoutMs: 20_000, message: '/readyz 503 during the outage' });
    const readyz = JSON.parse((await l.get('/readyz')).body) as { checks: { name: string; status: string; detail?: string }[] };
    expect(readyz.checks.find((c) => c.name === 'warehouse')).toMatchObject({ status: 'fail', detail: expect.stringContaining('injected outage') });
    expect(sample((await l.get('/metrics')).body, 'warehouse_unavailable')).toBe(1);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await stored(s.topics.enriched.name)).toEqual(before);
    expect(warehouse.refused).toBeGreaterThan(1);

    warehouse.mode = 'up';
    await waitFor(() => caughtUp(s, stored), { timeoutMs: 60_000, message: 'everything stored after the outage' });
    await waitFor(async () => (await l.get('/readyz')).status === 200, { timeoutMs: 10_000, message: '/readyz 200 again' });
    expect(sample((await l.get('/metrics')).body, 'warehouse_unavailable')).toBe(0);
    expect(await l.proc.terminate()).toBe(0);

    const r = await openResults(s.dbPath);
    try {
      expect(await r.rows(`SELECT count(*) AS n, count(DISTINCT (source_partition, source_offset)) AS d FROM fact_node_metric`)).toEqual([{ n: '2000', d: '2000' }]);
    } finally {
      r.close();
    }
  }, 120_000);

  it('that outlasts DWH_LOADER_MAX_OUTAGE stops the service with exit code 1, storing nothing half', async () => {
    const { s, l, warehouse } = await flakyLoader('dwh-outage-long', { DWH_LOADER_MAX_OUTAGE: '2s' });
    stacks.push(s);
    await waitFor(async () => (await l.get('/readyz')).status === 200, { timeoutMs: 30_000, message: 'ready' });
    warehouse.mode = 'down';
    await s.sendEnriched(enrichedInput(300));

    expect(await l.proc.exited()).toBe(1);
    const r = await openResults(s.dbPath);
    try {
      expect(await r.rows('SELECT (SELECT count(*) FROM fact_node_metric) AS n, (SELECT count(*) FROM load_offsets) AS o')).toEqual([{ n: '0', o: '0' }]);
    } finally {
      r.close();
    }
  }, 60_000);

  it('is not what a bug is: a fatal warehouse error stops the service at once with exit code 1', async () => {
    const { s, l, warehouse } = await flakyLoader('dwh-fatal');
    stacks.push(s);
    await waitFor(async () => (await l.get('/readyz')).status === 200, { timeoutMs: 30_000, message: 'ready' });
    warehouse.mode = 'broken';
    await s.sendEnriched(enrichedInput(10));

    expect(await l.proc.exited()).toBe(1);
    expect(warehouse.refused).toBe(0);
  }, 60_000);
});
