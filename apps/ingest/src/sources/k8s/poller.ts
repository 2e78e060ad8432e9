import { classify, type MeterlineError } from '@meterline/stream';
import type { Candidate, MetadataFields, MetricFields } from '../../candidate';
import { isAbort, type K8sApiClient } from './api-client';
import { textAt } from './api-fields';
import { nodeMetadataCandidates, nodeRemovedCandidate } from './node-metadata';
import { nodeMetricCandidates } from './node-metrics';
import { podMetricCandidates } from './pod-metrics';

export const K8S_PATHS = {
  nodes: '/api/v1/nodes',
  pods: '/api/v1/pods',
  nodeMetrics: '/apis/metrics.k8s.io/v1beta1/nodes',
  podMetrics: '/apis/metrics.k8s.io/v1beta1/pods',
} as const;

/** kubectl's chunk size: large clusters' PodLists arrive in pages of this many items. */
const DEFAULT_PAGE_SIZE = 500;

export type Deliver<F> = (candidates: readonly Candidate<F>[]) => Promise<void>;

export interface PollReport {
  /** Node and pod metrics items whose sample was new. */
  readonly samples: number;
  /** Items skipped because their sample (same object, same timestamp) was delivered by an earlier poll. */
  readonly repeated: number;
  readonly metricCandidates: number;
  readonly metadataCandidates: number;
  readonly durationMs: number;
}

export interface K8sPollerOptions {
  readonly client: Pick<K8sApiClient, 'list'>;
  /** Time between the starts of two polls; a poll that takes longer is followed at once by the next, never overlapped. */
  readonly intervalMs: number;
  /** Also per-container pod metrics (two more, larger requests per poll). */
  readonly pods?: boolean;
  readonly pageSize?: number;
  /** Receives each poll's new metric candidates and is awaited before the next poll. */
  readonly deliver: Deliver<MetricFields>;
  /** When given, receives node metadata for nodes that are new or changed, and tombstones for nodes that are gone. */
  readonly deliverMetadata?: Deliver<MetadataFields>;
  /** Every failed poll, classified: transient ones are tried again at the next interval, fatal ones end the poller. */
  readonly onPollError?: (err: MeterlineError) => void;
  readonly onPoll?: (report: PollReport) => void;
}

export interface K8sPoller {
  /** Settles when the loop has ended: resolves after stop(), rejects with the fatal error that ended it. */
  readonly done: Promise<void>;
  /** Aborts the request or wait in progress, lets a delivery in progress finish, and resolves once the loop is over. */
  stop(): Promise<void>;
}

/**
 * What earlier polls delivered. metrics-server refreshes a sample only every --metric-resolution, so a poll can read
 * the one it read before; delivering it again would count one measurement twice in every aggregate. State changes
 * only after a delivery succeeds, so a sample whose delivery failed is delivered by the next poll if still current.
 */
class DeliveredState {
  /** `NodeMetrics/<node>` or `PodMetrics/<ns>/<pod>` → timestamp of the sample last delivered. */
  samples = new Map<string, string>();
  /** Node name → the metadata fields last delivered, as JSON. */
  nodes = new Map<string, string>();
}

const sampleKey = (kind: string, item: unknown) =>
  kind === 'NodeMetrics'
    ? `NodeMetrics/${textAt(item, 'metadata', 'name') ?? ''}`
    : `PodMetrics/${textAt(item, 'metadata', 'namespace') ?? ''}/${textAt(item, 'metadata', 'name') ?? ''}`;

async function pollOnce(options: K8sPollerOptions, state: DeliveredState, signal: AbortSignal): Promise<PollReport> {
  const started = performance.now();
  const { client, pods: withPods = false } = options;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  // Objects are listed before their metrics: a pod too new to be in the PodList has no metrics yet either, so only
  // a pod deleted in between can leave a metrics item without its node.
  const [nodes, pods] = await Promise.all([
    client.list(K8S_PATHS.nodes, 'NodeList', { signal, pageSize }),
    withPods ? client.list(K8S_PATHS.pods, 'PodList', { signal, pageSize }) : Promise.resolve([]),
  ]);
  const [nodeMetrics, podMetrics] = await Promise.all([
    client.list(K8S_PATHS.nodeMetrics, 'NodeMetricsList', { signal }),
    withPods ? client.list(K8S_PATHS.podMetrics, 'PodMetricsList', { signal }) : Promise.resolve([]),
  ]);

  const metadataCandidates = options.deliverMetadata ? await deliverMetadata(options.deliverMetadata, nodes, state) : 0;

  const current = new Map<string, string>();
  const isNew = (kind: string) => (item: unknown) => {
    const timestamp = textAt(item, 'timestamp');
    // Without a timestamp there is nothing to compare; validation rejects the sample for its missing time.
    if (timestamp === undefined) return true;
    const key = sampleKey(kind, item);
    current.set(key, timestamp);
    return state.samples.get(key) !== timestamp;
  };
  const newNodeMetrics = nodeMetrics.filter(isNew('NodeMetrics'));
  const newPodMetrics = podMetrics.filter(isNew('PodMetrics'));
  const candidates = [...nodeMetricCandidates(newNodeMetrics, nodes), ...podMetricCandidates(newPodMetrics, pods)];
  if (candidates.length > 0) await options.deliver(candidates);
  // Replacing the map also forgets nodes and pods that are gone, so the state stays as large as the cluster.
  state.samples = current;

  const samples = newNodeMetrics.length + newPodMetrics.length;
  return {
    samples,
    repeated: nodeMetrics.length + podMetrics.length - samples,
    metricCandidates: candidates.length,
    metadataCandidates,
    durationMs: performance.now() - started,
  };
}

/**
 * Sends metadata for new and changed nodes and a tombstone for every node delivered earlier that the NodeList no
 * longer holds (a list is read whole or not at all, so absence means deleted). A node deleted while ingest was not
 * running gets no tombstone: this process never delivered it.
 */
async function deliverMetadata(deliver: Deliver<MetadataFields>, nodes: readonly unknown[], state: DeliveredState) {
  const next = new Map<string, string>();
  const changed: Candidate<MetadataFields>[] = [];
  for (const candidate of nodeMetadataCandidates(nodes)) {
    const name = candidate.fields.node_id;
    const fingerprint = JSON.stringify(candidate.fields);
    if (typeof name === 'string') next.set(name, fingerprint);
    if (typeof name !== 'string' || state.nodes.get(name) !== fingerprint) changed.push(candidate);
  }
  for (const name of state.nodes.keys()) if (!next.has(name)) changed.push(nodeRemovedCandidate(name));
  if (changed.length > 0) await deliver(changed);
  state.nodes = next;
  return changed.length;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * Polls the metrics API until stopped: each poll lists nodes (and pods), then their metrics, hands the new samples to
 * `deliver` and waits for it. A failed poll goes to `onPollError`; transient failures (5xx, timeouts, network) are
 * tried again at the next interval, while fatal ones (bad token, missing RBAC, no metrics-server) end the loop and
 * reject `done`, because no retry can fix configuration.
 */
export function startK8sPoller(options: K8sPollerOptions): K8sPoller {
  const controller = new AbortController();
  const { signal } = controller;
  const state = new DeliveredState();

  const done = (async () => {
    while (!signal.aborted) {
      const started = performance.now();
      try {
        // Not `onPoll?.(await pollOnce(...))`: optional chaining would skip the poll itself when onPoll is unset.
        const report = await pollOnce(options, state, signal);
        options.onPoll?.(report);
      } catch (raw) {
        // stop() cutting a request short is not a failure.
        if (signal.aborted && isAbort(raw)) break;
        const err = classify(raw);
        options.onPollError?.(err);
        if (err.kind === 'fatal') throw err;
      }
      await sleep(started + options.intervalMs - performance.now(), signal);
    }
  })();
  // The fatal error has been reported through onPollError; this keeps a caller that only calls stop() free of an
  // unhandled rejection, while one that awaits `done` still sees it.
  done.catch(() => undefined);

  return {
    done,
    async stop() {
      controller.abort();
      await done.catch(() => undefined);
    },
  };
}
