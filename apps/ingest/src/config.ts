import { baseEnv, durationMs, envVar, positiveInt } from '@meterline/config';
import { z } from 'zod';

/** Environment variables of ingest: the shared ones plus INGEST_*. */
export const ingestEnv = {
  ...baseEnv('ingest'),
  httpMaxBodyBytes: envVar(
    'INGEST_HTTP_MAX_BODY_BYTES',
    positiveInt.default(5 * 1024 * 1024),
    'largest accepted request body, in bytes (413 above it)',
  ),
  httpMaxRecords: envVar('INGEST_HTTP_MAX_RECORDS', positiveInt.default(10_000), 'most records per request (413 above it)'),
  retryAfterMs: envVar('INGEST_RETRY_AFTER', durationMs.prefault('5s'), 'what a 503 asks clients to wait before retrying'),
  lingerMs: envVar(
    'INGEST_LINGER',
    durationMs.prefault('2ms'),
    'how long the first record of an idle moment waits for others to share its Kafka transaction',
  ),
  httpTransactions: envVar(
    'INGEST_HTTP_TRANSACTIONS',
    positiveInt.default(3),
    'Kafka transactions in flight at once for HTTP requests (more: lower latency under load)',
  ),
  transactionalIdPrefix: envVar(
    'INGEST_TRANSACTIONAL_ID_PREFIX',
    z.string().regex(/^[A-Za-z0-9._-]+$/).default('ingest'),
    'prefix of the Kafka transactional id; the host name and process id make it unique per process',
  ),
} as const;
