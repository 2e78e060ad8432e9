import { SCRAPE_ACCEPT } from './exposition-format';
import { scrapeOnce } from './scrape-target';
import { startExpositionServer, type ExpositionServer } from './test-support/exposition-server';

describe('scrapeOnce against a local HTTP server', () => {
  let server: ExpositionServer;
  beforeAll(async () => {
    server = await startExpositionServer();
  });
  afterAll(() => server.close());

  it('reads a Prometheus text target, asking for OpenMetrics first and announcing its timeout', async () => {
    const outcome = await scrapeOnce(server.url('/node-exporter'), { timeoutMs: 2000 });
    const exposition = outcome.up ? outcome.exposition : undefined;
    expect([exposition?.format, exposition?.samples.length, exposition?.errors]).toEqual(['text', 507, []]);
    const request = server.requests.find((r) => r.path === '/node-exporter');
    expect(request?.headers['accept']).toBe(SCRAPE_ACCEPT);
    expect(request?.headers['x-prometheus-scrape-timeout-seconds']).toBe('2');
  });

  it('chooses the parser by the response Content-Type', async () => {
    const om = await scrapeOnce(server.url('/openmetrics'), { timeoutMs: 2000 });
    expect(om.up && [om.exposition.format, om.exposition.samples.length, om.exposition.errors.length]).toEqual(['openmetrics', 53, 0]);
    // The same body labelled text/plain: its six exemplar lines are not Prometheus text.
    const text = await scrapeOnce(server.url('/openmetrics-as-text'), { timeoutMs: 2000 });
    expect(text.up && [text.exposition.format, text.exposition.samples.length, text.exposition.errors.length]).toEqual(['text', 47, 6]);
  });

  it('reports a 500 as down with the status', async () => {
    expect(await scrapeOnce(server.url('/error'), { timeoutMs: 2000 })).toEqual({
      up: false,
      error: 'HTTP 500 Internal Server Error',
      aborted: false,
    });
  });

  it('gives up on a target that does not answer within the timeout', async () => {
    const started = performance.now();
    const outcome = await scrapeOnce(server.url('/hang'), { timeoutMs: 200 });
    expect(outcome).toEqual({ up: false, error: 'timed out after 200 ms', aborted: false });
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('reports a refused connection with its cause', async () => {
    const closed = await startExpositionServer();
    const url = closed.url('/node-exporter');
    await closed.close();
    const outcome = await scrapeOnce(url, { timeoutMs: 2000 });
    expect(outcome.up).toBe(false);
    expect(!outcome.up && outcome.error).toMatch(/ECONNREFUSED/);
  });

  it('tells a scrape stopped from outside apart from a failing target', async () => {
    const stop = new AbortController();
    const pending = scrapeOnce(server.url('/hang'), { timeoutMs: 5000, signal: stop.signal });
    setTimeout(() => stop.abort(), 50);
    expect(await pending).toEqual({ up: false, error: 'scrape stopped', aborted: true });
  });
});
