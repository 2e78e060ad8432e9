import type { NodeMetadata, NodeMetricEnriched, NodeMetricRaw } from '@meterline/schemas';
import type { NodeMetricSample } from '@meterline/windows';

/**
 * A raw sample joined with its node's metadata (or marked `unknown` when there is none) and the derived fields.
 * Utilisation is a fraction (0.5 = half) and null when capacity is missing or 0: a division by zero is not a value.
 */
export function enrich(raw: NodeMetricRaw, metadata: NodeMetadata | undefined): NodeMetricEnriched {
  return {
    node_id: raw.node_id,
    metric: raw.metric,
    value: raw.value,
    capacity: raw.capacity,
    unit: raw.unit.toLowerCase(),
    event_time: raw.event_time,
    source: raw.source,
    labels: raw.labels,
    metadata_status: metadata ? 'joined' : 'unknown',
    instance_type: metadata?.instance_type ?? null,
    zone: metadata?.zone ?? null,
    node_labels: metadata?.labels ?? {},
    metadata_updated_at: metadata?.updated_at ?? null,
    utilisation: raw.capacity !== null && raw.capacity !== 0 ? raw.value / raw.capacity : null,
  };
}

/** The window engine's view of an enriched sample, with the fields it lacked (counted per window). */
export function toSample(e: NodeMetricEnriched): NodeMetricSample {
  const missing: string[] = [];
  if (e.capacity === null) missing.push('capacity');
  if (e.metadata_status !== 'joined') missing.push('metadata');
  return {
    node_id: e.node_id,
    metric: e.metric,
    unit: e.unit,
    value: e.value,
    utilisation: e.utilisation,
    event_time: e.event_time,
    missing_fields: missing,
  };
}
