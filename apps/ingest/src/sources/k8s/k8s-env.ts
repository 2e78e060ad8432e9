import { bool, durationMs, envVar, httpUrl, port } from '@meterline/config';
import { z } from 'zod';

/** metrics-server refreshes every --metric-resolution (15 s by default); polling faster reads the same sample again. */
const DEFAULT_POLL_INTERVAL = '15s';

const optionalPath = z.string().trim().min(1).optional();

/**
 * The Kubernetes source's environment variables, for the lead to merge into ingest's env spec. Keys carry a `k8s`
 * prefix so they cannot collide with other sources' keys in the merged config. The source is off unless
 * INGEST_K8S_API_URL is set or INGEST_K8S_IN_CLUSTER is true (see source-options.ts).
 */
export const k8sEnv = {
  k8sApiUrl: envVar(
    'INGEST_K8S_API_URL',
    httpUrl.optional(),
    'Kubernetes API server URL (https://host:6443, or http://127.0.0.1:8001 behind kubectl proxy); turns the source on',
  ),
  k8sInCluster: envVar(
    'INGEST_K8S_IN_CLUSTER',
    bool.prefault('false'),
    "use the pod's service account: token and CA from /var/run/secrets/kubernetes.io/serviceaccount, API server from " +
      'KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT; turns the source on',
  ),
  k8sToken: envVar('INGEST_K8S_TOKEN', z.string().trim().min(1).optional(), 'bearer token for the API server'),
  k8sTokenFile: envVar(
    'INGEST_K8S_TOKEN_FILE',
    optionalPath,
    'file holding the bearer token, read again for every request (projected tokens rotate)',
  ),
  k8sCaFile: envVar('INGEST_K8S_CA_FILE', optionalPath, "PEM file of the CA that signed the API server's certificate"),
  k8sPollIntervalMs: envVar(
    'INGEST_K8S_POLL_INTERVAL_MS',
    durationMs.pipe(z.number().min(1000, 'expected at least 1s')).prefault(DEFAULT_POLL_INTERVAL),
    'time between the starts of two polls of the metrics API',
  ),
  k8sRequestTimeoutMs: envVar(
    'INGEST_K8S_REQUEST_TIMEOUT_MS',
    durationMs.pipe(z.number().min(1, 'expected more than 0')).prefault('10s'),
    'deadline of one request to the API server',
  ),
  k8sPods: envVar('INGEST_K8S_PODS', bool.prefault('false'), 'also poll per-container pod metrics'),
  kubernetesServiceHost: envVar(
    'KUBERNETES_SERVICE_HOST',
    z.string().trim().min(1).optional(),
    'set by Kubernetes in every pod: the API server address used with INGEST_K8S_IN_CLUSTER',
  ),
  kubernetesServicePort: envVar(
    'KUBERNETES_SERVICE_PORT',
    port.optional(),
    'set by Kubernetes in every pod: the API server port used with INGEST_K8S_IN_CLUSTER',
  ),
} as const;
