import { readdirSync } from 'node:fs';
import { findJava, probeKafka, stackStatus, stackUp, type StackLease } from './index';
import { runWithStack } from './run-command';
import { loadStackSettings } from './settings';
import { acquireStack } from './stack';

// These tests run against the real stack: the one already running, or one started here and stopped when the last
// user of it is done (see acquireStack). First use downloads ~215 MB, hence the long set-up timeout.
const log = (line: string) => process.stderr.write(`local-stack: ${line}\n`);

describe('the local stack', () => {
  let lease: StackLease;
  beforeAll(async () => {
    lease = await acquireStack({ log });
  }, 600_000);
  afterAll(async () => {
    await lease.release();
  }, 60_000);

  const registryUrl = () => lease.endpoints.schemaRegistryUrl;

  it('reports both components running on the configured ports, with their pids', async () => {
    const settings = loadStackSettings();
    const status = await stackStatus();
    expect(status.running).toBe(true);
    expect(status.ports).toEqual({
      kafkaPort: settings.kafkaPort,
      kafkaControllerPort: settings.kafkaControllerPort,
      registryPort: settings.registryPort,
      registryManagementPort: settings.registryManagementPort,
    });
    expect(status.endpoints).toEqual(lease.endpoints);
    expect(status.kafka).toMatchObject({ state: 'running', pid: expect.any(Number) as unknown });
    expect(status.registry).toMatchObject({ state: 'running', pid: expect.any(Number) as unknown });
    expect(status.kafka.rssBytes).toBeGreaterThan(50 * 1024 * 1024);
  });

  it('treats a second up as a no-op that keeps the same processes', async () => {
    const before = await stackStatus();
    const again = await stackUp();
    expect(again.alreadyRunning).toBe(true);
    expect(again.timings).toBeUndefined();
    expect([again.status.kafka.pid, again.status.registry.pid]).toEqual([before.kafka.pid, before.registry.pid]);
  });

  it('answers a Kafka Metadata request with its one broker', async () => {
    const [broker] = lease.endpoints.kafkaBrokers;
    const [host = '', port = ''] = (broker ?? '').split(':');
    const meta = await probeKafka(host, Number(port));
    expect(meta.brokers).toEqual([{ nodeId: 1, host: '127.0.0.1', port: Number(port) }]);
    expect(meta.clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('runs the registry with global compatibility BACKWARD', async () => {
    const res = await fetch(`${registryUrl()}/config`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ compatibilityLevel: 'BACKWARD' });
  });

  it('registers an Avro schema over the Confluent-compatible API and refuses an incompatible next version', async () => {
    const subject = `local-stack-it-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-value`;
    const record = (fields: object[]) => JSON.stringify({ type: 'record', name: 'Sample', namespace: 'test', fields });
    const register = (schema: string) =>
      fetch(`${registryUrl()}/subjects/${subject}/versions`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
        body: JSON.stringify({ schema }),
      });
    const v1 = record([{ name: 'node', type: 'string' }]);

    const first = await register(v1);
    expect(first.status).toBe(200);
    const { id } = (await first.json()) as { id: number };
    expect(id).toEqual(expect.any(Number));

    const latest = (await (await fetch(`${registryUrl()}/subjects/${subject}/versions/latest`)).json()) as Record<string, unknown>;
    expect(latest).toMatchObject({ subject, version: 1, id });
    expect(JSON.parse(String(latest['schema']))).toEqual(JSON.parse(v1));

    // A new field without a default cannot be read from old records: BACKWARD rejects it with 409.
    const incompatible = await register(record([{ name: 'node', type: 'string' }, { name: 'zone', type: 'string' }]));
    expect(incompatible.status).toBe(409);

    const compatible = await register(
      record([{ name: 'node', type: 'string' }, { name: 'zone', type: ['null', 'string'], default: null }]),
    );
    expect(compatible.status).toBe(200);
    expect(await (await fetch(`${registryUrl()}/subjects/${subject}/versions`)).json()).toEqual([1, 2]);
  });

  it('runs a command with the endpoints in its environment and returns its exit code', async () => {
    const expected = [lease.endpoints.kafkaBrokers.join(','), lease.endpoints.schemaRegistryUrl, 'on'];
    const seen = '[process.env.KAFKA_BROKERS, process.env.SCHEMA_REGISTRY_URL, process.env.EXTRA]';
    const script = `process.exit(JSON.stringify(${seen}) === ${JSON.stringify(JSON.stringify(expected))} ? 7 : 1)`;
    const code = await runWithStack({ command: [process.execPath, '-e', script], env: { EXTRA: 'on' }, log });
    expect(code).toBe(7);
    expect((await stackStatus()).running).toBe(true);
  });

  it('exposes the Kafka jars, tools included, and a Java to run them with', () => {
    const jars = readdirSync(lease.endpoints.kafkaLibsDir);
    expect(jars).toEqual(expect.arrayContaining(['kafka_2.13-3.9.1.jar', 'kafka-tools-3.9.1.jar', 'kafka-clients-3.9.1.jar']));
    expect(findJava(17).major).toBeGreaterThanOrEqual(17);
  });
});
