export { createLogger, type Logger, type LoggerOptions, type LogLevel } from './logger';
export { createMetricsRegistry, type MetricsRegistry } from './metrics-registry';
export {
  BATCH_SIZE_BUCKETS,
  createPipelineMetrics,
  PIPELINE_METRIC_NAMES,
  PROCESSING_SECONDS_BUCKETS,
  type ConsumeOutcome,
  type PipelineMetrics,
} from './pipeline-metrics';
export {
  createHealth,
  DEFAULT_CHECK_TIMEOUT_MS,
  type CheckReport,
  type CheckResult,
  type Health,
  type HealthOptions,
  type ReadinessCheck,
  type ReadinessReport,
} from './health';
export {
  DEFAULT_CLOSE_GRACE_MS,
  startHttpServer,
  type HttpServerHandle,
  type HttpServerOptions,
} from './http-server';
export {
  DEFAULT_SHUTDOWN_SIGNALS,
  installShutdown,
  type Shutdown,
  type ShutdownOptions,
  type ShutdownProcess,
  type ShutdownStep,
} from './shutdown';
