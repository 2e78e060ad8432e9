import { withRetry, type RetryPolicy } from '@meterline/kafka';
import type { Candidate, MetadataFields, MetricFields } from '../candidate';
import { parseEventTime } from '../event-time';
import { loadMapping, mapFile, type Flags } from '../mapping';
import { expandInputs, openFile, type ReadProgress } from '../sources/files';
import type { IngestResult, Ingestor } from '../writer/ingestor';
import { pacer, type Pace } from './pacer';
import { progressReporter, type ReplayCounts } from './progress';

export interface ReplayOptions {
  readonly inputs: readonly string[];
  /** A built-in mapping, a mapping file, or `native-metrics` / `native-metadata` for records already in our shape. */
  readonly mapping: string;
  readonly flags: Flags;
  readonly pace: Pace;
  /** Start over at the end, until stopped: a steady synthetic load. */
  readonly loop: boolean;
}

/** A transient failure (Kafka away) aborts the batch's transaction, so sending the same batch again is safe. */
const BATCH_RETRY: RetryPolicy = { attempts: 10, initialDelayMs: 500, maxDelayMs: 10_000 };

interface Batches<F> {
  readonly batches: AsyncIterable<readonly Candidate<F>[]>;
  progress(): ReadProgress;
}

type Kind = 'metrics' | 'metadata';

/**
 * Files → candidates (through a mapping) → the Ingestor, batch by batch and in file order: each batch is committed
 * (valid records and dead letters in one transaction) before the next is read, so memory stays flat and a file's
 * records keep their order on every partition. `shouldStop` is checked between batches.
 */
export async function replay(
  options: ReplayOptions,
  ingestor: Ingestor,
  out: NodeJS.WriteStream,
  shouldStop: () => boolean,
): Promise<ReplayCounts> {
  const files = await expandInputs(options.inputs);
  const native = /^native-(metrics|metadata)$/.exec(options.mapping)?.[1] as Kind | undefined;
  const mapping = native ? undefined : await loadMapping(options.mapping);
  const kind: Kind = native ?? (mapping?.produces === 'metadata' ? 'metadata' : 'metrics');
  const counts: ReplayCounts = { read: 0, produced: 0, rejected: new Map() };
  const progress = progressReporter(out);
  const pace = pacer(options.pace);
  const ingest = (batch: readonly Candidate<unknown>[]): Promise<IngestResult> =>
    withRetry(
      'replaying a batch',
      () =>
        kind === 'metrics'
          ? ingestor.ingestMetrics(batch as Candidate<MetricFields>[], 'replay')
          : ingestor.ingestMetadata(batch as Candidate<MetadataFields>[], 'replay'),
      BATCH_RETRY,
    );

  do {
    for (const [index, file] of files.entries()) {
      const source: Batches<unknown> = mapping
        ? await mapFile(file, mapping, { flags: options.flags }).then((m) => ({ batches: m.batches(), progress: () => m.progress() }))
        : await nativeBatches(file);
      for await (const batch of source.batches) {
        if (shouldStop()) break;
        await pace.wait(batch.length, firstEventTime(batch));
        const result = await ingest(batch);
        counts.read += batch.length;
        counts.produced += result.accepted;
        for (const r of result.rejected) counts.rejected.set(r.code, (counts.rejected.get(r.code) ?? 0) + 1);
        const p = source.progress();
        progress.update(counts, (index + (p.total > 0 ? p.done / p.total : 0)) / files.length, file);
      }
    }
  } while (options.loop && !shouldStop());
  progress.done();
  return counts;
}

/** Records already in our shape (NDJSON as the HTTP API takes it, or `ingest generate` writes it): no mapping. */
async function nativeBatches(file: string): Promise<Batches<unknown>> {
  const opened = await openFile(file);
  async function* batches() {
    for await (const rows of opened.batches()) {
      yield rows.map((row) => ({
        fields: row.values,
        position: row.position,
        original: row.original,
        ...(row.problem ? { problem: row.problem } : {}),
      }));
    }
  }
  return { batches: batches(), progress: () => opened.progress() };
}

function firstEventTime(batch: readonly Candidate<unknown>[]): number | undefined {
  const fields = batch[0]?.fields as { event_time?: unknown; updated_at?: unknown } | undefined;
  const t = parseEventTime(fields?.event_time ?? fields?.updated_at);
  return t.ok ? t.ms : undefined;
}
