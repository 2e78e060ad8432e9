import type { InstanceType } from './catalog';

/**
 * A metric line of the generated NDJSON, and the `fields` of its candidate: the same object either way, so a record
 * produced live and the same record replayed from the file validate alike. Keys follow the raw topic's field names.
 */
export interface MetricRecord {
  readonly node_id?: string;
  readonly metric: MetricName;
  /** A number, or the string "NaN": JSON has no NaN, and exporters that emit one write it as text. */
  readonly value: number | string;
  readonly capacity: number | null;
  readonly unit: 'cores' | 'bytes';
  /** ISO-8601 UTC with milliseconds. */
  readonly event_time: string;
  readonly labels: Readonly<Record<string, string>>;
}

export type MetadataRecord =
  | {
      readonly node_id: string;
      readonly instance_type: string;
      readonly zone: string;
      readonly labels: Readonly<Record<string, string>>;
      readonly updated_at: string;
    }
  /** A removal. `updated_at` is not needed by validation, but lets a replay that merges both files by time place it. */
  | { readonly node_id: string; readonly deleted: true; readonly updated_at: string };

export type MetricName = 'cpu_usage' | 'memory_usage';

/** The ways a sample is corrupted; each maps to the reject code validation must give it. */
export const invalidKinds = ['negativeValue', 'nanValue', 'missingNodeId', 'badEventTime'] as const;
export type InvalidKind = (typeof invalidKinds)[number];

export const isoTime = (ms: number) => new Date(ms).toISOString();

/**
 * Serialises metric records to exactly the text `JSON.stringify` gives, from parts serialised once: stringify was
 * most of the generator's time, and all but the value, capacity and time repeat from sample to sample. Records that
 * do not have the regular shape (the corrupted ones) go through `JSON.stringify` itself.
 */
export function metricSerializer(): (record: MetricRecord) => string {
  const json = new Map<unknown, string>();
  const cached = (v: unknown) => {
    let text = json.get(v);
    if (text === undefined) {
      text = JSON.stringify(v);
      json.set(v, text);
    }
    return text;
  };
  return (r) => {
    if (r.node_id === undefined || typeof r.value !== 'number' || !Number.isFinite(r.value)) return JSON.stringify(r);
    const capacity = r.capacity === null ? 'null' : String(r.capacity);
    return (
      `{"node_id":${cached(r.node_id)},"metric":${cached(r.metric)},"value":${r.value},"capacity":${capacity},` +
      `"unit":${cached(r.unit)},"event_time":${JSON.stringify(r.event_time)},"labels":${cached(r.labels)}}`
    );
  };
}

type Labels = Readonly<Record<string, string>>;

export function cpuRecord(nodeId: string, cores: number, capacity: number | null, eventTime: string, labels: Labels): MetricRecord {
  return { node_id: nodeId, metric: 'cpu_usage', value: cores, capacity, unit: 'cores', event_time: eventTime, labels };
}

export function memoryRecord(nodeId: string, bytes: number, capacity: number | null, eventTime: string, labels: Labels): MetricRecord {
  return { node_id: nodeId, metric: 'memory_usage', value: bytes, capacity, unit: 'bytes', event_time: eventTime, labels };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Day-first local notation, a classic spreadsheet export mistake: neither ISO-8601 nor an epoch. */
function dayFirst(iso: string): string {
  const d = new Date(iso);
  const date = `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
  return `${date} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** A broken copy of a valid sample, the way real agents and exports break them. */
export function corrupt(record: MetricRecord, kind: InvalidKind): MetricRecord {
  switch (kind) {
    case 'negativeValue':
      // A counter reset read as a delta, say: the magnitude is plausible, the sign is not.
      return { ...record, value: -Math.abs(Number(record.value)) || -1 };
    case 'nanValue':
      return { ...record, value: 'NaN' };
    case 'missingNodeId': {
      const { node_id: _dropped, ...rest } = record;
      return rest;
    }
    case 'badEventTime':
      return { ...record, event_time: dayFirst(record.event_time) };
  }
}

export function metadataRecord(nodeId: string, type: InstanceType, zone: string, updatedAt: string): MetadataRecord {
  return {
    node_id: nodeId,
    instance_type: type.name,
    zone,
    // The well-known labels a kubelet sets, and the node group a managed cluster adds.
    labels: {
      'kubernetes.io/os': 'linux',
      'node.kubernetes.io/instance-type': type.name,
      'topology.kubernetes.io/zone': zone,
      'eks.amazonaws.com/nodegroup': type.pool,
    },
    updated_at: updatedAt,
  };
}

export const tombstoneRecord = (nodeId: string, updatedAt: string): MetadataRecord => ({
  node_id: nodeId,
  deleted: true,
  updated_at: updatedAt,
});
