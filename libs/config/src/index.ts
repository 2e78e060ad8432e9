export { ConfigError, envVar, parseEnv, type ConfigOf, type EnvSpec, type EnvVar } from './env';
export * from './types';
export { baseEnv, LOCAL_KAFKA_BROKERS, LOCAL_SCHEMA_REGISTRY_URL } from './base';
export { loadConfig } from './load';
export { SERVICE_NAMES, SERVICES, type ServiceName } from './services';
