import { K8sApiClient } from './api-client';
import { startK8sPoller, type K8sPoller, type K8sPollerOptions } from './poller';
import type { K8sSourceOptions } from './source-options';

export type K8sSourceHandlers = Pick<K8sPollerOptions, 'deliver' | 'deliverMetadata' | 'onPollError' | 'onPoll'>;

/**
 * The whole source for main.ts: a client and a poller built from the resolved options. The client's keep-alive
 * connection is closed once the poller has ended, however it ended.
 */
export function startK8sSource(options: K8sSourceOptions, handlers: K8sSourceHandlers): K8sPoller {
  const client = new K8sApiClient(options.client);
  const poller = startK8sPoller({ client, intervalMs: options.intervalMs, pods: options.pods, ...handlers });
  poller.done.then(
    () => client.close(),
    () => client.close(),
  );
  return poller;
}
