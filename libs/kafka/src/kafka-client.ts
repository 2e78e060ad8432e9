import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Log } from './log';

export interface KafkaClientOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Log;
  /** How long to wait for a TCP connection: short, so readiness reflects an outage within seconds. */
  readonly connectionTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
}

export function createKafka(options: KafkaClientOptions): Kafka {
  return new Kafka({
    brokers: [...options.brokers],
    clientId: options.clientId,
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    logLevel: logLevel.INFO,
    logCreator: () => (entry) => forward(options.logger, entry),
    // Connection-level retries inside one request; our own runner adds the bounded, classified retry on top.
    retry: { initialRetryTime: 250, maxRetryTime: 5_000, retries: 5 },
  });
}

/**
 * Broker answers that callers expect and handle, which kafkajs still logs as errors: several instances creating the
 * catalog's topics at once get "already exists" (ensureTopics treats that as success); a transaction started right
 * after a commit gets CONCURRENT_TRANSACTIONS until the coordinator has written its markers (retried at once).
 */
const EXPECTED_ERRORS = [/already exists/i, /another concurrent operation on the same transaction/i];
/** Warnings about choices made on purpose: TransactionalBatcher bounds the idempotent producer's retries. */
const EXPECTED_WARNINGS = [/Limiting retries for the idempotent producer/];

function forward(logger: Log, { namespace, level, log }: LogEntry): void {
  const { message, timestamp: _timestamp, logger: _logger, ...extra } = log as LogEntry['log'] & { logger?: string };
  const fields = { component: 'kafkajs', namespace, ...extra };
  const text = `${message} ${String((extra as { error?: unknown }).error ?? '')}`;
  const expected = EXPECTED_ERRORS.some((pattern) => pattern.test(text));
  if (level === logLevel.ERROR && !expected) logger.error(fields, message);
  else if (level === logLevel.WARN && !EXPECTED_WARNINGS.some((pattern) => pattern.test(message))) logger.warn(fields, message);
  else if (level === logLevel.INFO) logger.info(fields, message);
  else logger.debug(fields, message);
}
