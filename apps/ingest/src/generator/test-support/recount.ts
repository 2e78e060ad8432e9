import type { NodeMetricRaw } from '@meterline/schemas';
import { validateMetadata, validateMetric } from '../../validate';
import type { GeneratedRecord } from '../generate';

/** A valid sample as validation read it, with where it stood in the stream. */
export interface RecountedSample {
  readonly raw: NodeMetricRaw;
  readonly order: number;
  /** Milliseconds behind the newest valid event time emitted before it (0 when it is the newest). */
  readonly lateness: number;
}

/**
 * Counts a generated stream from its records alone — the texts as a file would hold them, read by the ingest
 * validation — without any of the generator's bookkeeping, so that its manifest can be checked against it.
 */
export function recount(records: Iterable<GeneratedRecord>, allowedLatenessMs: number) {
  const samples: RecountedSample[] = [];
  const rejectedByCode: Record<string, number> = {};
  const seenKeys = new Set<string>();
  const seriesNewest = new Map<string, number>();
  const nodesWithMetadata = new Set<string>();
  const sampledBeforeMetadata = new Set<string>();
  const capacityNull = new Set<string>();
  const capacityKnown = new Set<string>();
  const updated = new Set<string>();
  const removed = new Set<string>();
  const metadataAt = new Map<string, { order: number; instanceType: string | null; updatedAt: number }[]>();
  const removedAt = new Map<string, number>();
  let newest = -Infinity;
  let order = 0;
  const counts = {
    metric: 0,
    metadata: 0,
    valid: 0,
    duplicates: 0,
    outOfOrder: 0,
    late: 0,
    beforeMetadata: 0,
    initial: 0,
    updates: 0,
    removals: 0,
  };

  for (const record of records) {
    order++;
    const fields: unknown = JSON.parse(record.candidate.original);
    if (record.kind === 'metric') {
      counts.metric++;
      const outcome = validateMetric(fields as Record<string, unknown>, 'generator');
      if (outcome.kind !== 'ok') {
        const code = outcome.kind === 'poison' ? outcome.error.code : outcome.reason;
        rejectedByCode[code] = (rejectedByCode[code] ?? 0) + 1;
        continue;
      }
      const raw = outcome.values[0] as NodeMetricRaw;
      counts.valid++;
      const key = `${raw.node_id}|${raw.metric}|${raw.event_time}`;
      if (seenKeys.has(key)) counts.duplicates++;
      seenKeys.add(key);
      const series = `${raw.node_id}|${raw.metric}`;
      if (raw.event_time < newest - allowedLatenessMs) counts.late++;
      else if (raw.event_time < (seriesNewest.get(series) ?? -Infinity)) counts.outOfOrder++;
      seriesNewest.set(series, Math.max(seriesNewest.get(series) ?? -Infinity, raw.event_time));
      samples.push({ raw, order, lateness: Math.max(0, newest - raw.event_time) });
      newest = Math.max(newest, raw.event_time);
      if (!nodesWithMetadata.has(raw.node_id)) {
        counts.beforeMetadata++;
        sampledBeforeMetadata.add(raw.node_id);
      }
      (raw.capacity === null ? capacityNull : capacityKnown).add(raw.node_id);
    } else {
      counts.metadata++;
      const outcome = validateMetadata(fields as Record<string, unknown>);
      if (outcome.kind !== 'ok') throw new Error(`generated metadata failed validation: ${record.candidate.original}`);
      const update = outcome.values[0];
      if (!update) throw new Error('validation returned no metadata');
      if (update.value === null) {
        counts.removals++;
        removed.add(update.node_id);
        removedAt.set(update.node_id, order);
      } else {
        if (nodesWithMetadata.has(update.node_id)) {
          counts.updates++;
          updated.add(update.node_id);
        } else counts.initial++;
        nodesWithMetadata.add(update.node_id);
        const history = metadataAt.get(update.node_id) ?? [];
        history.push({ order, instanceType: update.value.instance_type, updatedAt: update.value.updated_at });
        metadataAt.set(update.node_id, history);
      }
    }
  }
  return {
    counts,
    rejectedByCode,
    samples,
    nodesWithoutCapacity: [...capacityNull].sort(),
    /** Nodes with samples both with and without capacity: there should be none. */
    nodesWithMixedCapacity: [...capacityNull].filter((n) => capacityKnown.has(n)),
    lateMetadataNodes: [...sampledBeforeMetadata].sort(),
    updatedNodes: [...updated].sort(),
    removedNodes: [...removed].sort(),
    metadataHistory: metadataAt,
    removedAt,
  };
}
