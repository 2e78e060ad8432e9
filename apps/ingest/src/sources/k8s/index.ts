export { K8sApiClient, DEFAULT_REQUEST_TIMEOUT_MS, type K8sClientOptions } from './api-client';
export { K8sErrorCode } from './api-errors';
export { k8sEnv } from './k8s-env';
export { startK8sSource, type K8sSourceHandlers } from './k8s-source';
export { nodeMetadataCandidates } from './node-metadata';
export { nodeMetricCandidates } from './node-metrics';
export { podMetricCandidates } from './pod-metrics';
export {
  K8S_PATHS,
  startK8sPoller,
  type Deliver,
  type K8sPoller,
  type K8sPollerOptions,
  type PollReport,
} from './poller';
export { BAD_QUANTITY, parseQuantity } from './quantity';
export { k8sSourceOptions, SERVICE_ACCOUNT_DIR, type K8sConfig, type K8sSourceOptions } from './source-options';
