import express from 'express';
import type { DestinationStream } from 'pino';
import { createHealth, type Health } from './health';
import { startHttpServer, type HttpServerHandle, type HttpServerOptions } from './http-server';
import { createLogger } from './logger';
import { createMetricsRegistry } from './metrics-registry';
import { createPipelineMetrics } from './pipeline-metrics';

const open: HttpServerHandle[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

function logLines() {
  const lines: Record<string, unknown>[] = [];
  const destination: DestinationStream = {
    write: (chunk: string) => void lines.push(JSON.parse(chunk) as Record<string, unknown>),
  };
  return { lines, destination };
}

async function start(overrides: Partial<HttpServerOptions> = {}) {
  const log = logLines();
  const health = overrides.health ?? createHealth({ checkTimeoutMs: 50 });
  const registry = overrides.registry ?? createMetricsRegistry('enrichment');
  const server = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    registry,
    health,
    logger: createLogger({ service: 'enrichment', level: 'info', destination: log.destination }),
    ...overrides,
  });
  open.push(server);
  return { server, health, registry, logs: log.lines };
}

const failingHealth = (): Health => {
  const health = createHealth({ checkTimeoutMs: 50 });
  health.addReadinessCheck('kafka', () => {
    throw new Error('connect ECONNREFUSED 127.0.0.1:39092');
  });
  return health;
};

describe('startHttpServer', () => {
  it('listens on a free port when asked for port 0 and says where', async () => {
    const { server } = await start();
    const other = await start();
    expect(server.port).toBeGreaterThan(0);
    expect(server.port).not.toBe(other.server.port);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('gives a reachable url when bound to all interfaces', async () => {
    const { server } = await start({ host: '0.0.0.0' });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('rejects when the port is taken', async () => {
    const { server } = await start();
    await expect(start({ port: server.port })).rejects.toThrow(/EADDRINUSE/);
  });

  describe('/healthz', () => {
    it('answers 200 while readiness checks fail, because liveness must not depend on Kafka', async () => {
      const { server } = await start({ health: failingHealth() });
      const res = await fetch(`${server.url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'alive' });
    });

    it('answers 200 while shutting down, so the orchestrator lets the shutdown finish', async () => {
      const { server, health } = await start();
      health.setShuttingDown();
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    });
  });

  describe('/readyz', () => {
    it('answers 200 and lists each check when all pass', async () => {
      const health = createHealth();
      health.addReadinessCheck('kafka', () => true);
      health.addReadinessCheck('metadata table', async () => ({ ok: true, detail: 'restored 12 nodes' }));
      const { server } = await start({ health });
      const res = await fetch(`${server.url}/readyz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        status: 'ready',
        checks: [
          { name: 'kafka', status: 'ok', durationMs: expect.any(Number) },
          { name: 'metadata table', status: 'ok', detail: 'restored 12 nodes', durationMs: expect.any(Number) },
        ],
      });
    });

    it('answers 503 with the message of a throwing check and a timeout for a hanging one', async () => {
      const health = failingHealth();
      health.addReadinessCheck('schema registry', () => new Promise<boolean>(() => undefined));
      health.addReadinessCheck('lag', () => ({ ok: true, detail: 'lag 12' }));
      const { server } = await start({ health });
      const res = await fetch(`${server.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        status: 'not_ready',
        checks: [
          { name: 'kafka', status: 'fail', detail: 'connect ECONNREFUSED 127.0.0.1:39092', durationMs: expect.any(Number) },
          { name: 'schema registry', status: 'fail', detail: 'timed out after 50 ms', durationMs: expect.any(Number) },
          { name: 'lag', status: 'ok', detail: 'lag 12', durationMs: expect.any(Number) },
        ],
      });
    });

    it('answers 503 once the service is shutting down, so load balancers drain it', async () => {
      const { server, health } = await start();
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      health.setShuttingDown();
      const res = await fetch(`${server.url}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'shutting_down', checks: [] });
    });
  });

  describe('/metrics', () => {
    it('serves the registry in the Prometheus text format with the service label and the shared metrics', async () => {
      const { server, registry } = await start();
      createPipelineMetrics(registry).recordsConsumed.inc({ topic: 'metrics.node.raw.v1', outcome: 'ok' }, 5);
      const res = await fetch(`${server.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const text = await res.text();
      expect(text).toContain('# TYPE records_consumed_total counter');
      expect(text).toContain('records_consumed_total{topic="metrics.node.raw.v1",outcome="ok",service="enrichment"} 5');
      expect(text).toMatch(/^process_resident_memory_bytes\{service="enrichment"\} \d+/m);
    });
  });

  describe('routes of the service', () => {
    const configure = (app: express.Express) => {
      app.post('/v1/metrics', express.json({ limit: '1kb' }), (req, res) => {
        res.status(202).json({ accepted: Array.isArray(req.body) ? req.body.length : 0 });
      });
      app.get('/v1/boom', () => {
        throw new Error('secret internals at /srv/app.js:12');
      });
      app.get('/v1/async-boom', async () => {
        await Promise.resolve();
        throw new Error('rejected later');
      });
      // A service cannot shadow the probes.
      app.get('/healthz', (_req, res) => {
        res.status(500).end();
      });
    };

    it('mounts them on the same server', async () => {
      const { server } = await start({ configure });
      const res = await fetch(`${server.url}/v1/metrics`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ node: 'n1' }, { node: 'n2' }]),
      });
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ accepted: 2 });
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    });

    it('turns a thrown or rejected error into a JSON 500 without details and logs it', async () => {
      const { server, logs } = await start({ configure });
      for (const path of ['/v1/boom', '/v1/async-boom']) {
        const res = await fetch(`${server.url}${path}`);
        expect(res.status).toBe(500);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        expect(await res.json()).toEqual({ error: 'internal server error' });
      }
      const errors = logs.filter((l) => l['level'] === 'error');
      expect(errors).toHaveLength(2);
      expect(errors[0]).toMatchObject({ msg: 'request failed', method: 'GET', path: '/v1/boom' });
      expect(errors[0]?.['err']).toMatchObject({ message: 'secret internals at /srv/app.js:12' });
      expect(errors[1]?.['err']).toMatchObject({ message: 'rejected later' });
    });

    it('keeps the status of client errors such as malformed or oversized JSON', async () => {
      const { server } = await start({ configure });
      const post = (body: string) =>
        fetch(`${server.url}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const malformed = await post('[{"node":');
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toEqual({ error: expect.any(String) });
      expect((await post(JSON.stringify('x'.repeat(2000)))).status).toBe(413);
    });

    it('answers unknown paths with a JSON 404', async () => {
      const { server } = await start({ configure });
      const res = await fetch(`${server.url}/nope`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'not found', path: '/nope' });
    });
  });

  describe('close', () => {
    it('lets an in-flight request finish, then closes its keep-alive connection at once', async () => {
      const { server } = await start({
        closeGraceMs: 10_000,
        configure: (app) =>
          app.get('/slow', (_req, res) => {
            setTimeout(() => res.json({ done: true }), 200);
          }),
      });
      // An earlier request leaves an idle keep-alive connection in fetch's pool.
      await (await fetch(`${server.url}/healthz`)).text();
      const inFlight = fetch(`${server.url}/slow`).then((r) => r.json());
      await new Promise((resolve) => setTimeout(resolve, 50));

      const started = Date.now();
      await server.close();
      expect(Date.now() - started).toBeLessThan(2000);
      expect(await inFlight).toEqual({ done: true });
      await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    });

    it('cuts a request that outlasts the grace period', async () => {
      const { server } = await start({
        closeGraceMs: 100,
        configure: (app) => app.get('/stuck', () => undefined),
      });
      const stuck = fetch(`${server.url}/stuck`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const started = Date.now();
      await server.close();
      expect(Date.now() - started).toBeLessThan(1000);
      await expect(stuck).rejects.toThrow();
    });

    it('can be called more than once', async () => {
      const { server } = await start();
      await Promise.all([server.close(), server.close()]);
      await expect(server.close()).resolves.toBeUndefined();
    });
  });
});
