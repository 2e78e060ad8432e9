/**
 * The deployable services. Each name is also the folder under apps/, the Nx project, the Docker image, the compose
 * service, the consumer group and the `service` metric label. The port is the service's default HTTP_PORT
 * (/healthz, /readyz, /metrics and its own API), fixed so compose, Prometheus and the demo agree.
 */
export const SERVICES = {
  ingest: { httpPort: 9401 },
  enrichment: { httpPort: 9402 },
  'dwh-loader': { httpPort: 9403 },
  'feature-builder': { httpPort: 9404 },
} as const;

export type ServiceName = keyof typeof SERVICES;

/** In pipeline order. */
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];
