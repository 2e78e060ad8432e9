import { ConfigError, type ConfigOf } from '@meterline/config';
import type { K8sClientOptions } from './api-client';
import type { k8sEnv } from './k8s-env';

/** Where Kubernetes mounts a pod's service-account credentials. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export type K8sConfig = ConfigOf<typeof k8sEnv>;

export interface K8sSourceOptions {
  readonly client: K8sClientOptions;
  readonly intervalMs: number;
  readonly pods: boolean;
}

/** `https://host:port`, with an IPv6 address in brackets (KUBERNETES_SERVICE_HOST is a bare `fd00::1` on IPv6 clusters). */
const serviceUrl = (host: string, port: number) => `https://${host.includes(':') ? `[${host}]` : host}:${port}`;

/**
 * The source's options from its config, or undefined when the source is off. In-cluster mode supplies the server,
 * token file and CA file of the pod's service account, as client-go's rest.InClusterConfig does; an explicit
 * INGEST_K8S_API_URL, token or CA file overrides its part. Combinations that cannot work are reported together as
 * one ConfigError, like every other configuration problem.
 */
export function k8sSourceOptions(config: K8sConfig, serviceAccountDir = SERVICE_ACCOUNT_DIR): K8sSourceOptions | undefined {
  const problems: string[] = [];
  const enabled = config.k8sApiUrl !== undefined || config.k8sInCluster;
  if (config.k8sToken !== undefined && config.k8sTokenFile !== undefined) {
    problems.push('INGEST_K8S_TOKEN and INGEST_K8S_TOKEN_FILE are both set: choose one');
  }
  if (!enabled) {
    const stray = (
      [
        ['INGEST_K8S_TOKEN', config.k8sToken],
        ['INGEST_K8S_TOKEN_FILE', config.k8sTokenFile],
        ['INGEST_K8S_CA_FILE', config.k8sCaFile],
      ] as const
    ).filter(([, v]) => v !== undefined);
    // Credentials without a server most likely mean a forgotten URL, not a wish to keep the source off.
    if (stray.length > 0) {
      problems.push(
        `${stray.map(([name]) => name).join(', ')} set, but the Kubernetes source is off: set INGEST_K8S_API_URL or ` +
          'INGEST_K8S_IN_CLUSTER=true',
      );
    }
  }

  let server = config.k8sApiUrl;
  if (config.k8sInCluster && server === undefined) {
    const host = config.kubernetesServiceHost;
    const port = config.kubernetesServicePort;
    if (host === undefined || port === undefined) {
      problems.push(
        'INGEST_K8S_IN_CLUSTER=true, but KUBERNETES_SERVICE_HOST or KUBERNETES_SERVICE_PORT is unset: not running in a ' +
          'pod? Set INGEST_K8S_API_URL instead',
      );
    } else {
      server = serviceUrl(host, port);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  if (!enabled || server === undefined) return undefined;

  const inCluster = config.k8sInCluster;
  const serviceAccountToken = inCluster && config.k8sToken === undefined ? `${serviceAccountDir}/token` : undefined;
  const tokenFile = config.k8sTokenFile ?? serviceAccountToken;
  return {
    client: {
      server,
      token: config.k8sToken,
      tokenFile,
      caFile: config.k8sCaFile ?? (inCluster ? `${serviceAccountDir}/ca.crt` : undefined),
      requestTimeoutMs: config.k8sRequestTimeoutMs,
    },
    intervalMs: config.k8sPollIntervalMs,
    pods: config.k8sPods,
  };
}
