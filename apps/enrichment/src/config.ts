import { baseEnv, durationMs, envVar, nonNegativeInt, positiveInt } from '@meterline/config';
import { z } from 'zod';

/**
 * What happens to a sample of a node with no metadata yet: `hold` waits for the metadata (up to the hold timeout),
 * `emit` passes it on at once marked unknown, `dlq` dead-letters it. Either way it is counted, never lost.
 */
export const UNKNOWN_NODE_POLICIES = ['hold', 'emit', 'dlq'] as const;
export type UnknownNodePolicy = (typeof UNKNOWN_NODE_POLICIES)[number];

/** Environment variables of enrichment: the shared ones plus ENRICHMENT_*. */
export const enrichmentEnv = {
  ...baseEnv('enrichment'),
  unknownNodePolicy: envVar(
    'ENRICHMENT_UNKNOWN_NODE_POLICY',
    z.enum(UNKNOWN_NODE_POLICIES).default('hold'),
    'a sample of a node without metadata: hold (wait for it), emit (mark unknown) or dlq',
  ),
  holdTimeoutMs: envVar('ENRICHMENT_HOLD_TIMEOUT', durationMs.prefault('30s'), 'longest a sample waits for its node\'s metadata'),
  holdMaxRecords: envVar(
    'ENRICHMENT_HOLD_MAX_RECORDS',
    positiveInt.default(100_000),
    'samples held per input partition at most; beyond it the longest-waiting one goes on without metadata',
  ),
  windowSizeMs: envVar('ENRICHMENT_WINDOW_SIZE', durationMs.prefault('1m'), 'size of the tumbling per-node aggregate windows'),
  windowGraceMs: envVar(
    'ENRICHMENT_WINDOW_GRACE',
    durationMs.prefault('10s'),
    'how long past its end (in watermark time) a window still takes records before its first emission',
  ),
  windowRetentionMs: envVar(
    'ENRICHMENT_WINDOW_RETENTION',
    durationMs.prefault('10m'),
    'how long a closed window is kept for late corrections (re-emitted with revision + 1); later records go to the late topic',
  ),
  allowedLatenessMs: envVar(
    'ENRICHMENT_ALLOWED_LATENESS',
    durationMs.prefault('5s'),
    'out-of-orderness tolerated per partition: the watermark trails the newest event time by this much',
  ),
  idleTimeoutMs: envVar(
    'ENRICHMENT_IDLE_TIMEOUT',
    durationMs.prefault('30s'),
    'a partition without records for this long (wall clock) stops holding the watermark back',
  ),
  dedupHorizonMs: envVar(
    'ENRICHMENT_DEDUP_HORIZON',
    durationMs.prefault('10m'),
    'how far behind a node\'s newest sample a repeat is still recognised (event time)',
  ),
  chunkSize: envVar('ENRICHMENT_CHUNK_SIZE', positiveInt.default(1_000), 'records per Kafka transaction at most'),
  punctuateIntervalMs: envVar(
    'ENRICHMENT_PUNCTUATE_INTERVAL',
    durationMs.prefault('1s'),
    'how often held samples and idle partitions are looked at without new records',
  ),
  readyMaxLag: envVar(
    'ENRICHMENT_READY_MAX_LAG',
    nonNegativeInt.default(100_000),
    '/readyz turns false while the consumer lag of an assigned partition is above this',
  ),
  transactionalIdPrefix: envVar(
    'ENRICHMENT_TRANSACTIONAL_ID_PREFIX',
    z.string().regex(/^[A-Za-z0-9._-]+$/).default('enrichment'),
    'prefix of the per-partition transactional ids: the same for every instance, so a new owner fences the old one',
  ),
} as const;
