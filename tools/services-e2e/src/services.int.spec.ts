import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { standaloneKafka, type StandaloneKafka } from '@meterline/local-stack';
import { stackEndpoints, uniqueName, waitFor } from '@meterline/testing';
import { SERVICE_NAMES } from '@meterline/config';
import { spawnService, type ServiceProcess } from '@meterline/demo';

/** Two ports the OS says are free now; the broker binds them a moment later. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

const get = async (url: string) => {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return { status: response.status, body: await response.text() };
};
const readyz = async (s: ServiceProcess) => (await get(`${await s.url}/readyz`)).status;

describe('the four services as processes', () => {
  let dir: string;
  let kafka: StandaloneKafka;
  let services: ServiceProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'meterline-e2e-'));
    const [kafkaPort = 0, controllerPort = 0] = await freePorts(2);
    // A broker of their own: this test stops and restarts it, which the shared stack's other users must not see.
    kafka = await standaloneKafka({ dir, kafkaPort, controllerPort });
  });

  afterAll(async () => {
    for (const s of services) s.signal('SIGKILL');
    await kafka?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are alive but not ready without Kafka, ready once it runs, unready while it is down, and stop with exit 0', async () => {
    const env = {
      KAFKA_BROKERS: kafka.brokers.join(','),
      SCHEMA_REGISTRY_URL: stackEndpoints().schemaRegistryUrl,
      TOPIC_PREFIX: `${uniqueName('e2e')}.`,
      HTTP_PORT: '0',
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: '20s',
    };
    // Started before the broker, as `docker compose up` may do.
    services = SERVICE_NAMES.map((name) => spawnService(name, env));

    for (const s of services) {
      expect((await get(`${await s.url}/healthz`)).status).toBe(200);
      expect(await readyz(s)).toBe(503);
    }

    await kafka.start();
    await waitFor(async () => (await Promise.all(services.map(readyz))).every((status) => status === 200), {
      timeoutMs: 90_000,
      message: 'every service ready once Kafka runs',
    });
    for (const s of services) {
      const metrics = (await get(`${await s.url}/metrics`)).body;
      expect(metrics).toContain(`service="${s.name}"`);
      expect(metrics).toContain('records_consumed_total');
    }

    await kafka.stop();
    await waitFor(async () => (await Promise.all(services.map(readyz))).every((status) => status === 503), {
      timeoutMs: 30_000,
      message: 'every service unready while Kafka is down',
    });
    for (const s of services) expect((await get(`${await s.url}/healthz`)).status).toBe(200);

    await kafka.start();
    await waitFor(async () => (await Promise.all(services.map(readyz))).every((status) => status === 200), {
      timeoutMs: 90_000,
      message: 'every service ready again after Kafka returned',
    });

    for (const s of services) s.signal('SIGTERM');
    const codes = await Promise.all(services.map((s) => s.exited));
    expect(Object.fromEntries(services.map((s, i) => [s.name, codes[i]]))).toEqual(
      Object.fromEntries(SERVICE_NAMES.map((name) => [name, 0])),
    );
    for (const s of services) expect(s.logs.some((l) => l['msg'] === 'shutdown complete')).toBe(true);
  }, 300_000);
});
