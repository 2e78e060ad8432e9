import type { Candidate, MetricFields } from '../../candidate';
import { startK8sSource } from './k8s-source';
import { FakeApiServer } from './test-support/fake-api-server';

describe('startK8sSource', () => {
  it('polls the FAKE API server with only a deliver callback until stopped', async () => {
    const fake = await FakeApiServer.start({ tokens: ['t'] });
    fake.nodes = [{ name: 'n1', usage: { cpu: '500m', memory: '1Mi', timestamp: '2024-05-01T12:00:00Z' } }];
    const batches: (readonly Candidate<MetricFields>[])[] = [];
    // onPoll and onPollError are optional; a poll must not depend on them.
    const source = startK8sSource(
      { client: { server: fake.url, token: 't' }, intervalMs: 60_000, pods: false },
      { deliver: async (candidates) => void batches.push(candidates) },
    );
    try {
      const deadline = performance.now() + 3_000;
      while (batches.length === 0 && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(batches[0]?.map((c) => [c.fields.metric, c.fields.value])).toEqual([
        ['cpu_usage', 0.5],
        ['memory_usage', 1_048_576],
      ]);
    } finally {
      await source.stop();
      await fake.close();
    }
    await expect(source.done).resolves.toBeUndefined();
  });
});
