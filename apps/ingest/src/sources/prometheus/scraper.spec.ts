import { isMeterlineError } from '@meterline/stream';
import type { Candidate, MetricFields } from '../../candidate';
import { createScraper, type ScrapeReport, type Scraper, type ScraperOptions } from './scraper';
import { startExpositionServer, type ExpositionServer } from './test-support/exposition-server';

const mapping = { nodeLabels: ['node', 'instance'], stripInstancePort: true };

async function until(condition: () => boolean, timeoutMs = 4000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('createScraper against a local HTTP server', () => {
  let server: ExpositionServer;
  let scraper: Scraper | undefined;
  beforeAll(async () => {
    server = await startExpositionServer();
  });
  afterEach(() => scraper?.stop());
  afterAll(() => server.close());

  function start(options: Partial<ScraperOptions> & Pick<ScraperOptions, 'targets'>) {
    const reports: ScrapeReport[] = [];
    const delivered: { target: string; candidates: Candidate<MetricFields>[] }[] = [];
    scraper = createScraper({
      intervalMs: 100,
      timeoutMs: 100,
      mapping,
      deliver: async (candidates, report) => {
        delivered.push({ target: report.target, candidates });
      },
      onScrape: (report) => reports.push(report),
      ...options,
    });
    scraper.start();
    return { reports, delivered, of: (target: string) => reports.filter((r) => r.target === target) };
  }

  it('keeps scraping healthy targets while one times out and one answers 500', async () => {
    const [good, slow, failing] = [server.url('/node-exporter'), server.url('/hang'), server.url('/error')];
    const run = start({ targets: [good, slow, failing] });
    await until(() => [good, slow, failing].every((t) => run.of(t).length >= 2));

    expect(run.of(good).every((r) => r.up === 1 && r.samples === 507 && r.error === undefined)).toBe(true);
    expect(run.of(slow).every((r) => r.up === 0 && r.error === 'timed out after 100 ms')).toBe(true);
    expect(run.of(failing).every((r) => r.up === 0 && r.error === 'HTTP 500 Internal Server Error' && r.samples === 0)).toBe(true);
    expect(run.of(slow).every((r) => r.durationMs >= 90)).toBe(true);
    expect(run.delivered.every((d) => d.target === good && d.candidates.length === 507)).toBe(true);
    expect(scraper?.status().get(failing)).toMatchObject({ up: 0, error: 'HTTP 500 Internal Server Error' });
  });

  it('delivers candidates named after the target host, timed at the scrape start', async () => {
    const target = server.url('/node-exporter');
    const run = start({ targets: [target], now: () => 1_700_000_000_000 });
    await until(() => run.delivered.length >= 1);
    const memTotal = run.delivered[0]?.candidates.find((c) => c.fields.metric === 'node_memory_MemTotal_bytes');
    expect(memTotal).toEqual({
      fields: {
        node_id: '127.0.0.1',
        metric: 'node_memory_MemTotal_bytes',
        value: 25276502016,
        unit: 'bytes',
        event_time: 1_700_000_000_000,
        labels: { instance: new URL(target).host },
      },
      position: { target, line: '339' },
      original: 'node_memory_MemTotal_bytes 2.5276502016e+10',
    });
  });

  it('keeps the timestamps a target writes (cAdvisor)', async () => {
    const run = start({ targets: [server.url('/cadvisor')], now: () => 1_700_000_000_000 });
    await until(() => run.delivered.length >= 1);
    const times = new Set(run.delivered[0]?.candidates.map((c) => c.fields.event_time));
    expect([...times].sort()).toEqual([1395066363000, 1_700_000_000_000]);
  });

  it('waits for a slow delivery before scraping the target again, never overlapping', async () => {
    const target = server.url('/node-exporter?test=backpressure');
    const deliveries: { start: number; end: number }[] = [];
    const run = start({
      targets: [target],
      intervalMs: 50,
      timeoutMs: 50,
      deliver: async () => {
        const delivery = { start: performance.now(), end: Number.POSITIVE_INFINITY };
        deliveries.push(delivery);
        await new Promise((resolve) => setTimeout(resolve, 200));
        delivery.end = performance.now();
      },
    });
    await until(() => deliveries.length >= 3);
    await scraper?.stop();
    const requests = server.requests.filter((r) => r.path === '/node-exporter?test=backpressure').map((r) => r.at);
    // The interval alone would ask every 50 ms; no request may arrive while a delivery is still running.
    const during = requests.filter((at) => deliveries.some((d) => at > d.start && at < d.end));
    expect(during).toEqual([]);
    expect(deliveries.every((d, i) => i === 0 || d.start >= (deliveries[i - 1]?.end ?? 0))).toBe(true);
    expect(run.reports.length).toBeGreaterThanOrEqual(3);
  });

  it('reports a failed delivery and goes on scraping', async () => {
    let calls = 0;
    const run = start({
      targets: [server.url('/node-exporter')],
      deliver: async () => {
        calls += 1;
        if (calls === 1) throw new Error('broker unavailable');
      },
    });
    await until(() => run.reports.length >= 2);
    expect(run.reports.slice(0, 2).map((r) => [r.up, r.deliveryError])).toEqual([
      [1, 'broker unavailable'],
      [1, undefined],
    ]);
  });

  it('stops at once, aborting a scrape in progress and reporting nothing for it', async () => {
    const run = start({ targets: [server.url('/node-exporter'), server.url('/hang')], intervalMs: 60_000, timeoutMs: 30_000 });
    await until(() => run.reports.length >= 1);
    const started = performance.now();
    await scraper?.stop();
    expect(performance.now() - started).toBeLessThan(500);
    expect(run.reports.map((r) => r.target)).toEqual([server.url('/node-exporter')]);
  });

  it('refuses a configuration with every problem named at once', () => {
    const targets = ['not a url', 'http://a/m', 'http://a/m'];
    const create = () => createScraper({ targets, intervalMs: 1000, timeoutMs: 5000, mapping, deliver: async () => undefined });
    let error: unknown;
    try {
      create();
    } catch (err) {
      error = err;
    }
    expect(isMeterlineError(error) && [error.kind, error.code, error.message]).toEqual([
      'fatal',
      'SCRAPE_CONFIG',
      'invalid scrape configuration: timeoutMs 5000 exceeds intervalMs 1000; ' +
        'target "not a url" is not a URL; target http://a/m is listed twice',
    ]);
  });
});
