import { envVar } from './env';
import { z } from 'zod';
import { SERVICES, type ServiceName } from './services';
import { durationMs, hostPortList, httpUrl, logLevel, port, topicPrefix } from './types';

/** The local stack's default ports (tools/local-stack), so a developer can run a service with no env at all. */
export const LOCAL_KAFKA_BROKERS = '127.0.0.1:39092';
export const LOCAL_SCHEMA_REGISTRY_URL = 'http://127.0.0.1:38081/apis/ccompat/v7';

/** Variables every service reads. Service-specific ones are prefixed with the service name (DWH_LOADER_BATCH_SIZE). */
export const baseEnv = (service: ServiceName) =>
  ({
    kafkaBrokers: envVar('KAFKA_BROKERS', hostPortList.prefault(LOCAL_KAFKA_BROKERS), 'Kafka bootstrap servers, host:port,...'),
    schemaRegistryUrl: envVar(
      'SCHEMA_REGISTRY_URL',
      httpUrl.prefault(LOCAL_SCHEMA_REGISTRY_URL),
      'Confluent-compatible Schema Registry base URL',
    ),
    httpPort: envVar('HTTP_PORT', port.default(SERVICES[service].httpPort), 'port of /healthz, /readyz and /metrics'),
    // Containers must listen on all interfaces; set 127.0.0.1 to keep a developer machine's service private.
    httpHost: envVar('HTTP_HOST', z.string().default('0.0.0.0'), 'interface the HTTP server binds to'),
    logLevel: envVar('LOG_LEVEL', logLevel.default('info'), 'fatal|error|warn|info|debug|trace|silent'),
    topicPrefix: envVar('TOPIC_PREFIX', topicPrefix.default(''), 'prepended to every topic name (isolated test runs)'),
    shutdownTimeoutMs: envVar(
      'SHUTDOWN_TIMEOUT_MS',
      durationMs.prefault('30s'),
      'how long a graceful shutdown may take before the process exits anyway',
    ),
  }) as const;
