import { Counter, Gauge, type Registry } from 'prom-client';
import type { SampleOutcome, StepResult } from './process';
import type { EnrichmentState } from './state';

/**
 * enrichment's own series, beside the shared pipeline metrics (records_consumed_total, consumer_lag, ...); `service`
 * comes from the registry's default label. State gauges are read when scraped, so they are never stale.
 */
export interface EnrichmentMetrics {
  readonly samples: Counter<'outcome'>;
  readonly windowEmits: Counter<'kind'>;
  readonly lateRecords: Counter<'kind'>;
  readonly tableRestoreSeconds: Gauge;
  readonly stateRestoreSeconds: Gauge;
  readonly stateRestoredEntries: Counter;
}

export interface MetricSources {
  readonly state: () => EnrichmentState | undefined;
  readonly tableSize: () => number;
  readonly now?: () => number;
}

export function createEnrichmentMetrics(registry: Registry, sources: MetricSources): EnrichmentMetrics {
  const registers = [registry];
  let corrected = 0;
  const now = sources.now ?? Date.now;
  const stat = <T>(read: (s: ReturnType<EnrichmentState['stats']>) => T) => {
    const state = sources.state();
    return state ? read(state.stats()) : undefined;
  };
  const gauge = (name: string, help: string, value: () => number | undefined) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        const v = value();
        if (v !== undefined) this.set(v);
      },
    });

  gauge('enrichment_metadata_table_nodes', 'Nodes in the metadata table (every instance holds all of them).', sources.tableSize);
  gauge('enrichment_open_windows', 'Windows accepting records (not yet emitted).', () => stat((s) => s.openWindows));
  gauge('enrichment_retained_windows', 'Emitted windows kept for late corrections.', () => stat((s) => s.retainedWindows));
  gauge('enrichment_state_keys', 'Node + metric series with window state.', () => stat((s) => s.keys));
  gauge('enrichment_held_samples', 'Samples waiting for their node\'s metadata.', () => stat((s) => s.held));
  gauge('enrichment_dedup_entries', 'Recent (node, metric, event time) triples remembered to drop repeats.', () => stat((s) => s.dedupEntries));
  gauge('enrichment_watermark_lag_seconds', 'Wall clock minus the event-time watermark.', () =>
    stat((s) => (s.watermark === null ? undefined : (now() - s.watermark) / 1000)),
  );
  return {
    samples: new Counter({
      name: 'enrichment_samples_total',
      help: 'Raw samples by outcome: joined, unknown (emitted without metadata), held, released (joined after waiting), expired (waited the hold timeout), evicted (hold buffer full), dlq, duplicate.',
      labelNames: ['outcome'],
      registers,
    }),
    windowEmits: new Counter({
      name: 'enrichment_window_emits_total',
      help: 'Aggregates emitted: first (a window closed) or correction (a late sample re-emitted it with revision + 1).',
      labelNames: ['kind'],
      registers,
    }),
    lateRecords: new Counter({
      name: 'enrichment_late_records_total',
      help: 'Samples later than the grace period: corrected (their window was still retained and re-emitted) or routed (to the late topic).',
      labelNames: ['kind'],
      registers,
      collect() {
        // The engine counts corrections; this counter follows it from the process's start.
        const updates = stat((s) => s.lateUpdates) ?? 0;
        if (updates > corrected) this.inc({ kind: 'corrected' }, updates - corrected);
        corrected = Math.max(corrected, updates);
      },
    }),
    tableRestoreSeconds: new Gauge({ name: 'enrichment_metadata_restore_seconds', help: 'Time to read the metadata table at start.', registers }),
    stateRestoreSeconds: new Gauge({ name: 'enrichment_state_restore_seconds', help: 'Time the last restore of window state took.', registers }),
    stateRestoredEntries: new Counter({ name: 'enrichment_state_restored_entries_total', help: 'Changelog entries applied by restores.', registers }),
  };
}

/** Counts one step's outcomes. */
export function countStep(metrics: EnrichmentMetrics, result: StepResult): void {
  for (const [outcome, n] of Object.entries(result.outcomes) as [SampleOutcome, number][]) metrics.samples.inc({ outcome }, n);
  for (const a of result.aggregates) metrics.windowEmits.inc({ kind: a.revision === 0 ? 'first' : 'correction' });
  if (result.late.length > 0) metrics.lateRecords.inc({ kind: 'routed' }, result.late.length);
}
