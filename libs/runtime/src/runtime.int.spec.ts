import { EventEmitter } from 'node:events';
import { baseEnv, parseEnv } from '@meterline/config';
import { nodeMetadataTopic, nodeMetricRawTopic, topicDeclarations } from '@meterline/schemas';
import { stackEndpoints, uniqueName } from '@meterline/testing';
import { startRuntime } from './runtime';

/** Stands in for `process`: signals are emitted by the test, and exit is recorded instead of ending jest. */
class FakeProcess extends EventEmitter {
  readonly exits: number[] = [];
  exit(code: number): void {
    this.exits.push(code);
  }

  /** Sends SIGTERM and resolves with the exit code the shutdown chose. */
  async terminate(): Promise<number> {
    this.emit('SIGTERM', 'SIGTERM');
    while (this.exits.length === 0) await new Promise((r) => setTimeout(r, 20));
    return this.exits[0] as number;
  }
}

const configFor = (prefix: string) => {
  const { kafkaBrokers, schemaRegistryUrl } = stackEndpoints();
  return parseEnv(baseEnv('ingest'), {
    KAFKA_BROKERS: kafkaBrokers.join(','),
    SCHEMA_REGISTRY_URL: schemaRegistryUrl,
    HTTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    TOPIC_PREFIX: prefix,
  });
};

describe('startRuntime against the local stack', () => {
  it('serves health first, creates the catalog topics, and stops in order on SIGTERM with exit 0', async () => {
    const prefix = `${uniqueName('rt')}.`;
    const proc = new FakeProcess();
    const rt = await startRuntime('ingest', configFor(prefix), { proc });

    const readyz = await fetch(`${rt.http.url}/readyz`);
    expect(readyz.status).toBe(200);
    expect(await readyz.json()).toMatchObject({ status: 'ready' });
    const existing = new Set(await rt.admin.listTopics());
    for (const t of topicDeclarations(prefix)) expect(existing).toContain(t.name);

    const raw = await rt.openTopic(nodeMetricRawTopic);
    const metadata = await rt.openTopic(nodeMetadataTopic);
    expect(raw.name).toBe(`${prefix}metrics.node.raw.v1`);
    expect(metadata.tombstones).toBe(true);
    const producer = await rt.producer();
    await producer.send([]);

    const order: string[] = [];
    rt.onShutdown({ name: 'service work', run: () => void order.push(rt.health.shuttingDown ? 'after not-ready' : 'too early') });
    expect(await proc.terminate()).toBe(0);
    expect(order).toEqual(['after not-ready']);
    await expect(fetch(`${rt.http.url}/healthz`)).rejects.toThrow();
  });

  it('names an unreachable registry among the failing readiness checks', async () => {
    const config = { ...configFor(`${uniqueName('rt')}.`), schemaRegistryUrl: 'http://127.0.0.1:9/apis/ccompat/v7' };
    const proc = new FakeProcess();
    const rt = await startRuntime('ingest', config, { proc });
    const readyz = (await (await fetch(`${rt.http.url}/readyz`)).json()) as { checks: { name: string; status: string }[] };
    expect(readyz.checks.find((c) => c.name === 'schema-registry')?.status).toBe('fail');
    expect(readyz.checks.find((c) => c.name === 'kafka')?.status).toBe('ok');
    expect(await proc.terminate()).toBe(0);
  });
});
