import { probeKafka } from '@meterline/local-stack';
import { stackEndpoints, uniqueName, waitFor } from './index';

// This project opts into the harness itself (jest.config.js spreads jest-int.js), so these tests see exactly what any
// project's integration tests see.
describe('the integration-test harness', () => {
  it('hands the test workers the endpoints of a running stack', async () => {
    const { kafkaBrokers, schemaRegistryUrl } = stackEndpoints();
    expect(kafkaBrokers.length).toBeGreaterThan(0);
    const [host = '', port = ''] = (kafkaBrokers[0] ?? '').split(':');
    const meta = await probeKafka(host, Number(port));
    expect(meta.brokers.length).toBeGreaterThan(0);
    const res = await fetch(`${schemaRegistryUrl}/subjects`);
    expect(res.status).toBe(200);
    expect(Array.isArray(await res.json())).toBe(true);
  });

  it('waits until the registry shows a subject registered a moment later', async () => {
    const { schemaRegistryUrl } = stackEndpoints();
    const subject = `${uniqueName('testing-harness')}-value`;
    setTimeout(() => {
      void fetch(`${schemaRegistryUrl}/subjects/${subject}/versions`, {
        method: 'POST',
        headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
        body: JSON.stringify({ schema: '"string"' }),
      });
    }, 200);
    const subjects = await waitFor(
      async () => {
        const list = (await (await fetch(`${schemaRegistryUrl}/subjects`)).json()) as string[];
        return list.includes(subject) && list;
      },
      { timeoutMs: 10_000, intervalMs: 100, message: `subject ${subject}` },
    );
    expect(subjects).toContain(subject);
  });
});
