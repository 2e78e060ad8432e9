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

interface KafkaJsLike {
  name?: string;
  message?: string;
  retriable?: boolean;
  cause?: unknown;
  originalError?: unknown;
}

/**
 * kafkajs wraps the real reason: after its own retries a connection failure surfaces as a non-retriable
 * KafkaJSNonRetriableError whose cause is the KafkaJSConnectionError. So the whole cause chain is inspected.
 */
function causeChain(err: unknown): KafkaJsLike[] {
  const chain: KafkaJsLike[] = [];
  for (let e: unknown = err; e !== null && typeof e === 'object' && chain.length < 10; ) {
    const k = e as KafkaJsLike;
    chain.push(k);
    e = k.cause ?? k.originalError;
  }
  return chain;
}

export function classifyKafkaError(err: unknown, what: string): MeterlineError {
  if (err instanceof MeterlineError) return err;
  const chain = causeChain(err);
  const message = `${what}: ${chain[0]?.message ?? String(err)}`;
  if (chain.some((e) => e.retriable === true || (e.name !== undefined && TRANSIENT_NAMES.has(e.name)))) {
    return transientError('KAFKA_UNAVAILABLE', message, { cause: err });
  }
  return fatalError('KAFKA_REQUEST_FAILED', message, { cause: err });
}

/**
 * kafkajs's heartbeat (and commit) throw these while the group rebalances; its runner rejoins when the batch handler
 * rethrows them (errors.js `isRebalancing`). A normal event when instances come and go, never a failure.
 */
const REBALANCING = new Set(['REBALANCE_IN_PROGRESS', 'NOT_COORDINATOR_FOR_GROUP', 'ILLEGAL_GENERATION']);

export const isRebalancing = (err: unknown): boolean =>
  err !== null && typeof err === 'object' && REBALANCING.has(String((err as { type?: unknown }).type));
