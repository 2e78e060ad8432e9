export { startRuntime, STARTUP_RETRY, type BaseConfig, type HttpContext, type Runtime, type RuntimeOptions } from './runtime';
export { runService } from './run-service';
