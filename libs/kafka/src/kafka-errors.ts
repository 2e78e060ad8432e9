import { fatalError, MeterlineError, transientError } from '@meterline/stream';

/** kafkajs errors that mean "the cluster is unwell right now", whatever their `retriable` flag says. */
const TRANSIENT_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSBrokerNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSLockTimeout',
]);

export function classifyKafkaError(err: unknown, what: string): MeterlineError {
  if (err instanceof MeterlineError) return err;
  const e = err as { name?: string; retriable?: boolean; message?: string } | null;
  const message = `${what}: ${e?.message ?? String(err)}`;
  if (e?.retriable === true || (e?.name !== undefined && TRANSIENT_NAMES.has(e.name))) {
    return transientError('KAFKA_UNAVAILABLE', message, { cause: err });
  }
  return fatalError('KAFKA_REQUEST_FAILED', message, { cause: err });
}
