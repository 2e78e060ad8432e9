import type { Shutdown, Logger } from '@meterline/observability';
import { startK8sSource, type K8sPoller, type K8sSourceOptions } from './sources/k8s';
import type { Ingestor } from './writer/ingestor';

/**
 * Polls the Kubernetes metrics API into Kafka: node (and pod) usage as metrics, Node objects as metadata. A transient
 * poll failure is logged and the next poll tries again; a fatal one (RBAC, no metrics-server) stops the service,
 * since restarting cannot fix it but the operator must see it.
 */
export function startK8sJob(ingestor: Ingestor, options: K8sSourceOptions, logger: Logger, shutdown: Shutdown): K8sPoller {
  const poller = startK8sSource(options, {
    deliver: async (candidates) => void (await ingestor.ingestMetrics(candidates, 'k8s')),
    deliverMetadata: async (candidates) => void (await ingestor.ingestMetadata(candidates, 'k8s')),
    onPollError: (err) => logger.warn({ code: err.code, retriable: err.retriable }, `kubernetes poll failed: ${err.message}`),
  });
  poller.done.catch((err: unknown) => void shutdown.fail(err, 'the Kubernetes source cannot go on'));
  return poller;
}
