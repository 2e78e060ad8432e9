import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fatalError, transientError, type MeterlineError } from '@meterline/stream';
import type { Candidate, MetadataFields, MetricFields } from '../../candidate';
import { K8sApiClient } from './api-client';
import { startK8sPoller, type K8sPoller, type K8sPollerOptions, type PollReport } from './poller';
import { FakeApiServer, type FakeNode, type FakePod } from './test-support/fake-api-server';

const TOKEN = 'poller-token';
const NODE_METRICS = '/apis/metrics.k8s.io/v1beta1/nodes';

const nodeA: FakeNode = {
  name: 'node-a',
  labels: { 'node.kubernetes.io/instance-type': 'm5.xlarge', 'topology.kubernetes.io/zone': 'eu-west-1a' },
  capacity: { cpu: '4', memory: '16393012Ki' },
  allocatable: { cpu: '3920m', memory: '15242036Ki' },
  usage: { cpu: '152837612n', memory: '1383416Ki', timestamp: '2024-05-01T12:00:00Z', window: '20.035s' },
};
const nodeB: FakeNode = {
  name: 'node-b',
  capacity: { cpu: '2', memory: '8Gi' },
  usage: { cpu: '250m', memory: '512Mi', timestamp: '2024-05-01T12:00:01Z', window: '19.5s' },
};
const web: FakePod = {
  namespace: 'shop',
  name: 'web-1',
  nodeName: 'node-a',
  containers: [{ name: 'app', limits: { cpu: '500m', memory: '256Mi' }, usage: { cpu: '2451947n', memory: '24180Ki' } }],
  timestamp: '2024-05-01T12:00:05Z',
  window: '18.512s',
};
// Deleted between the PodList and the PodMetricsList: metrics without a pod.
const gone: FakePod = {
  namespace: 'shop',
  name: 'gone-1',
  inPodList: false,
  containers: [{ name: 'app', usage: { cpu: '1m', memory: '1Mi' } }],
  timestamp: '2024-05-01T12:00:06Z',
  window: '18.512s',
};

async function waitFor(condition: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** What a sample says, in a form easy to write out by hand. */
const summary = (c: Candidate<MetricFields>) => {
  const f = c.fields;
  return [f.metric, f.node_id, f.value, f.capacity, f.unit, f.event_time];
};

describe('the k8s poller against the FAKE API server', () => {
  let fake: FakeApiServer;
  let client: K8sApiClient;
  let poller: K8sPoller | undefined;
  let batches: Candidate<MetricFields>[][];
  let errors: MeterlineError[];
  let reports: PollReport[];

  const start = (options: Partial<K8sPollerOptions> = {}) => {
    poller = startK8sPoller({
      client,
      intervalMs: 20,
      deliver: async (candidates) => {
        batches.push([...candidates]);
      },
      onPollError: (err) => errors.push(err),
      onPoll: (report) => reports.push(report),
      ...options,
    });
    return poller;
  };

  beforeEach(async () => {
    fake = await FakeApiServer.start({ tokens: [TOKEN] });
    fake.nodes = [nodeA, nodeB];
    fake.pods = [web, gone];
    client = new K8sApiClient({ server: fake.url, token: TOKEN, requestTimeoutMs: 2_000 });
    batches = [];
    errors = [];
    reports = [];
  });
  afterEach(async () => {
    await poller?.stop();
    poller = undefined;
    client.close();
    await fake.close();
  });

  it('delivers node and container usage with their capacities, units and node ids', async () => {
    start({ pods: true });
    await waitFor(() => batches.length >= 1, 'a delivery');
    expect(batches[0]?.map(summary)).toEqual([
      // node-a: 152837612n of 3920m allocatable; 1383416Ki of 15242036Ki allocatable
      ['cpu_usage', 'node-a', 0.152837612, 3.92, 'cores', '2024-05-01T12:00:00Z'],
      ['memory_usage', 'node-a', 1_416_617_984, 15_607_844_864, 'bytes', '2024-05-01T12:00:00Z'],
      // node-b has no allocatable: its capacity (2 cores, 8Gi) stands in
      ['cpu_usage', 'node-b', 0.25, 2, 'cores', '2024-05-01T12:00:01Z'],
      ['memory_usage', 'node-b', 536_870_912, 8_589_934_592, 'bytes', '2024-05-01T12:00:01Z'],
      // web-1 runs on node-a; its limits (500m, 256Mi) are the capacity
      ['container_cpu_usage', 'node-a', 0.002451947, 0.5, 'cores', '2024-05-01T12:00:05Z'],
      ['container_memory_usage', 'node-a', 24_760_320, 268_435_456, 'bytes', '2024-05-01T12:00:05Z'],
      // gone-1 is not in the PodList: no node, left for validation to reject
      ['container_cpu_usage', undefined, 0.001, undefined, 'cores', '2024-05-01T12:00:06Z'],
      ['container_memory_usage', undefined, 1_048_576, undefined, 'bytes', '2024-05-01T12:00:06Z'],
    ]);
    expect(batches[0]?.[4]?.fields.labels).toEqual({
      namespace: 'shop',
      pod: 'web-1',
      container: 'app',
      window: '18.512s',
    });
    expect(batches[0]?.[0]?.fields.labels).toEqual({ window: '20.035s' });
    expect(fake.requests.slice(0, 4).map((r) => r.url).sort()).toEqual([
      '/api/v1/nodes?limit=500',
      '/api/v1/pods?limit=500',
      '/apis/metrics.k8s.io/v1beta1/nodes',
      '/apis/metrics.k8s.io/v1beta1/pods',
    ]);
  });

  it('polls only nodes unless pods are asked for', async () => {
    start();
    await waitFor(() => batches.length >= 1, 'a delivery');
    expect(batches[0]?.map((c) => c.fields.metric)).toEqual(['cpu_usage', 'memory_usage', 'cpu_usage', 'memory_usage']);
    expect(fake.requestsFor('/api/v1/pods')).toEqual([]);
  });

  it('does not deliver a sample again until metrics-server has a newer one', async () => {
    start();
    await waitFor(() => reports.length >= 3, 'three polls');
    expect(batches).toHaveLength(1);
    expect(reports[1]).toMatchObject({ samples: 0, repeated: 2, metricCandidates: 0 });

    fake.nodes = [{ ...nodeA, usage: { cpu: '1', memory: '1Gi', timestamp: '2024-05-01T12:00:15Z' } }, nodeB];
    await waitFor(() => batches.length >= 2, 'the newer sample');
    expect(batches[1]?.map(summary)).toEqual([
      ['cpu_usage', 'node-a', 1, 3.92, 'cores', '2024-05-01T12:00:15Z'],
      ['memory_usage', 'node-a', 1_073_741_824, 15_607_844_864, 'bytes', '2024-05-01T12:00:15Z'],
    ]);
  });

  it('ends with a fatal error when the token is rejected, and polls no more', async () => {
    client = new K8sApiClient({ server: fake.url, token: 'stolen-and-revoked' });
    const p = start();
    await expect(p.done).rejects.toMatchObject({ kind: 'fatal', code: 'K8S_UNAUTHORIZED' });
    expect(errors.map((e) => e.code)).toEqual(['K8S_UNAUTHORIZED']);
    const requests = fake.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.requests).toHaveLength(requests);
    expect(batches).toEqual([]);
  });

  it('ends with a fatal error naming metrics-server when the metrics API is missing', async () => {
    await fake.close();
    fake = await FakeApiServer.start({ tokens: [TOKEN], metricsServer: false });
    client = new K8sApiClient({ server: fake.url, token: TOKEN });
    await expect(start().done).rejects.toMatchObject({ code: 'K8S_METRICS_API_MISSING' });
  });

  it('reports a 500 and delivers on the next poll', async () => {
    fake.failNext(NODE_METRICS, 500);
    start();
    await waitFor(() => batches.length >= 1, 'a delivery after the failure');
    expect(errors.map((e) => [e.kind, e.code])).toEqual([['transient', 'K8S_SERVER_ERROR']]);
    expect(fake.requestsFor(NODE_METRICS)).toHaveLength(2);
    expect(batches[0]).toHaveLength(4);
  });

  it('reads a token file that changes between polls again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k8s-poller-'));
    try {
      const tokenFile = join(dir, 'token');
      await writeFile(tokenFile, 'first\n');
      fake.acceptTokens('first');
      client = new K8sApiClient({ server: fake.url, tokenFile });
      start();
      await waitFor(() => reports.length >= 1, 'a poll with the first token');
      await writeFile(tokenFile, 'second\n');
      fake.acceptTokens('second');
      const polled = reports.length;
      await waitFor(() => reports.length >= polled + 2, 'polls with the second token');
      const seen = new Set(fake.requests.map((r) => r.authorization));
      expect([...seen]).toEqual(['Bearer first', 'Bearer second']);
      expect(errors).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('never starts a poll while a delivery is in progress', async () => {
    const deliveries: [number, number][] = [];
    let next = 0;
    start({
      deliver: async () => {
        const began = performance.now();
        await new Promise((resolve) => setTimeout(resolve, 60));
        deliveries.push([began, performance.now()]);
      },
    });
    // Every poll brings a new sample, so every poll delivers.
    const timer = setInterval(() => {
      next += 1;
      const timestamp = `2024-05-01T13:00:${String(next % 60).padStart(2, '0')}Z`;
      fake.nodes = [{ ...nodeA, usage: { cpu: '1', memory: '1Gi', timestamp } }];
    }, 10);
    try {
      await waitFor(() => deliveries.length >= 3, 'three deliveries');
    } finally {
      clearInterval(timer);
    }
    for (const [began, ended] of deliveries) {
      expect(fake.requests.filter((r) => r.at > began && r.at < ended)).toEqual([]);
    }
  });

  it('stops promptly while a request is hanging, and delivers nothing', async () => {
    fake.delay(10_000);
    const p = start();
    await waitFor(() => fake.requests.length >= 1, 'a request');
    const began = performance.now();
    await p.stop();
    expect(performance.now() - began).toBeLessThan(500);
    await expect(p.done).resolves.toBeUndefined();
    expect(batches).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('stops promptly while waiting for the next interval', async () => {
    const p = start({ intervalMs: 60_000 });
    await waitFor(() => reports.length >= 1, 'a poll');
    const began = performance.now();
    await p.stop();
    expect(performance.now() - began).toBeLessThan(500);
  });

  it('lets a delivery in progress finish before stop() resolves', async () => {
    let finished = false;
    const p = start({
      deliver: async () => {
        await new Promise((resolve) => setTimeout(resolve, 150));
        finished = true;
      },
    });
    await waitFor(() => fake.requestsFor(NODE_METRICS).length >= 1, 'the metrics request');
    await new Promise((resolve) => setTimeout(resolve, 30));
    await p.stop();
    expect(finished).toBe(true);
  });

  it('delivers the same samples again on the next poll after a transient delivery failure', async () => {
    let attempts = 0;
    start({
      deliver: async (candidates) => {
        attempts += 1;
        if (attempts === 1) throw transientError('KAFKA_UNAVAILABLE', 'broker down');
        batches.push([...candidates]);
      },
    });
    await waitFor(() => batches.length >= 1, 'the second delivery');
    expect(errors.map((e) => e.code)).toEqual(['KAFKA_UNAVAILABLE']);
    expect(batches[0]?.map(summary).map(([metric, node]) => `${String(metric)}@${String(node)}`)).toEqual([
      'cpu_usage@node-a',
      'memory_usage@node-a',
      'cpu_usage@node-b',
      'memory_usage@node-b',
    ]);
  });

  it('ends with a fatal delivery error', async () => {
    const p = start({
      deliver: async () => {
        throw fatalError('SCHEMA_INCOMPATIBLE', 'registry refused the schema');
      },
    });
    await expect(p.done).rejects.toMatchObject({ code: 'SCHEMA_INCOMPATIBLE' });
  });

  it('delivers node metadata when a node appears or changes, and a tombstone when it is removed', async () => {
    const metadata: Candidate<MetadataFields>[][] = [];
    start({
      deliverMetadata: async (candidates) => {
        metadata.push([...candidates]);
      },
    });
    await waitFor(() => reports.length >= 2, 'two polls');
    expect(metadata).toHaveLength(1);
    expect(metadata[0]?.map((c) => c.fields)).toEqual([
      {
        node_id: 'node-a',
        instance_type: 'm5.xlarge',
        zone: 'eu-west-1a',
        labels: { 'node.kubernetes.io/instance-type': 'm5.xlarge', 'topology.kubernetes.io/zone': 'eu-west-1a' },
      },
      { node_id: 'node-b', instance_type: undefined, zone: undefined, labels: {} },
    ]);

    fake.nodes = [nodeA, { ...nodeB, labels: { 'topology.kubernetes.io/zone': 'eu-west-1b' } }];
    await waitFor(() => metadata.length >= 2, 'the changed node');
    expect(metadata[1]?.map((c) => [c.fields.node_id, c.fields.zone])).toEqual([['node-b', 'eu-west-1b']]);

    fake.nodes = [nodeA];
    await waitFor(() => metadata.length >= 3, 'the tombstone');
    expect(metadata[2]?.map((c) => c.fields)).toEqual([{ node_id: 'node-b', deleted: true }]);
  });
});
