import { baseEnv, bool, durationMs, envVar, positiveInt } from '@meterline/config';
import { z } from 'zod';
import { k8sEnv } from './sources/k8s';

const labelList = z
  .string()
  .transform((s) => s.split(',').map((l) => l.trim()).filter((l) => l.length > 0))
  .refine((l) => l.length > 0, 'expected at least one label name');

const urlList = z
  .string()
  .transform((s) => s.split(',').map((u) => u.trim()).filter((u) => u.length > 0))
  .refine((l) => l.every((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol)), 'expected http(s) URLs');

/** Environment variables of ingest: the shared ones plus INGEST_*. */
export const ingestEnv = {
  ...baseEnv('ingest'),
  ...k8sEnv,
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
  remoteWriteMaxBodyBytes: envVar(
    'INGEST_REMOTE_WRITE_MAX_BODY_BYTES',
    positiveInt.default(32 * 1024 * 1024),
    'largest accepted remote-write request (compressed), in bytes',
  ),
  nodeLabels: envVar(
    'INGEST_NODE_LABELS',
    labelList.prefault('node,instance'),
    'Prometheus labels tried in order for the node id (remote_write and scrape)',
  ),
  stripInstancePort: envVar(
    'INGEST_STRIP_INSTANCE_PORT',
    bool.prefault('true'),
    'drop the :port of an `instance` label used as node id, so one node\'s exporters are one node',
  ),
  scrapeTargets: envVar('INGEST_SCRAPE_TARGETS', urlList.prefault(''), 'exposition URLs to scrape, comma-separated (none: no scraping)'),
  scrapeIntervalMs: envVar('INGEST_SCRAPE_INTERVAL', durationMs.prefault('15s'), 'how often each target is scraped'),
  scrapeTimeoutMs: envVar('INGEST_SCRAPE_TIMEOUT', durationMs.prefault('10s'), 'a scrape slower than this counts as failed'),
  replayInputs: envVar(
    'INGEST_REPLAY_INPUTS',
    z.string().prefault('').transform((s) => s.split(',').map((p) => p.trim()).filter((p) => p.length > 0)),
    'files, directories or globs to replay when the service starts (none: no replay job)',
  ),
  replayMapping: envVar('INGEST_REPLAY_MAPPING', z.string().optional(), 'the mapping of the replay job (built-in name or file)'),
  replayRate: envVar('INGEST_REPLAY_RATE', positiveInt.optional(), 'records per second of the replay job (default: as fast as possible)'),
  replaySpeed: envVar('INGEST_REPLAY_SPEED', z.coerce.number().positive().optional(), 'replay at event time × this factor instead'),
  replayLoop: envVar('INGEST_REPLAY_LOOP', bool.prefault('false'), 'start the replay over at the end'),
} as const;
