import type { NodeMetadata, NodeMetricRaw } from '@meterline/schemas';
import { ok, poison, poisonError, type Outcome } from '@meterline/stream';
import type { IngestSource, MetadataFields, MetricFields } from './candidate';
import { parseEventTime } from './event-time';

/** Why a record was rejected; DLQ headers, the HTTP response and `records_rejected_total{reason}` carry the code. */
export const RejectReason = {
  missingField: 'VALIDATION_MISSING_FIELD',
  wrongType: 'VALIDATION_WRONG_TYPE',
  notFinite: 'VALIDATION_NOT_FINITE',
  negative: 'VALIDATION_NEGATIVE',
  badTimestamp: 'VALIDATION_BAD_TIMESTAMP',
  badName: 'VALIDATION_BAD_NAME',
} as const;

const reject = (code: string, field: string, message: string) =>
  poison(poisonError(code, `${field}: ${message}`, { details: { field } }));

/** Kubernetes node names are DNS subdomains (at most 253 characters); other ids (UUIDs, hosts) fit the same bound. */
const MAX_ID_LENGTH = 253;
/** Prometheus metric names, which also admit every name the other sources use. */
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
/** Usage can never be negative in these units; other units (°C, a Prometheus gauge with no unit) may be. */
const NON_NEGATIVE_UNITS = new Set(['percent', 'cores', 'bytes', 'seconds']);

type Check<T> = { ok: true; value: T } | { ok: false; outcome: Outcome<never> };
const pass = <T>(value: T): Check<T> => ({ ok: true, value });
const fail = (outcome: Outcome<never>): Check<never> => ({ ok: false, outcome });

function requiredText(value: unknown, field: string, pattern?: RegExp): Check<string> {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    return fail(reject(RejectReason.missingField, field, 'is required'));
  }
  if (typeof value !== 'string' && typeof value !== 'number') {
    return fail(reject(RejectReason.wrongType, field, `expected a string, got ${typeof value}`));
  }
  const text = String(value).trim();
  if (text.length > MAX_ID_LENGTH) return fail(reject(RejectReason.badName, field, `longer than ${MAX_ID_LENGTH} characters`));
  if (pattern && !pattern.test(text)) return fail(reject(RejectReason.badName, field, `${JSON.stringify(text)} is not a valid name`));
  return pass(text);
}

function optionalText(value: unknown, field: string): Check<string | null> {
  if (value === undefined || value === null || value === '') return pass(null);
  if (typeof value !== 'string' && typeof value !== 'number') {
    return fail(reject(RejectReason.wrongType, field, `expected a string, got ${typeof value}`));
  }
  return pass(String(value).trim());
}

/** Numbers arrive as numbers (JSON) or text (CSV); both are accepted, but the result must be finite. */
function number(value: unknown, field: string, required: boolean): Check<number | null> {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    return required ? fail(reject(RejectReason.missingField, field, 'is required')) : pass(null);
  }
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
  if (typeof value !== 'number' && typeof value !== 'string') {
    return fail(reject(RejectReason.wrongType, field, `expected a number, got ${typeof value}`));
  }
  if (!Number.isFinite(n)) return fail(reject(RejectReason.notFinite, field, `${JSON.stringify(value)} is not a finite number`));
  return pass(n);
}

function labels(value: unknown): Check<Record<string, string>> {
  if (value === undefined || value === null) return pass({});
  if (typeof value !== 'object' || Array.isArray(value)) {
    return fail(reject(RejectReason.wrongType, 'labels', 'expected an object of strings'));
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else return fail(reject(RejectReason.wrongType, `labels.${k}`, 'expected a string'));
  }
  return pass(out);
}

function eventTime(value: unknown, field: string): Check<number> {
  if (value === undefined || value === null || value === '') return fail(reject(RejectReason.missingField, field, 'is required'));
  const t = parseEventTime(value);
  return t.ok ? pass(t.ms) : fail(reject(RejectReason.badTimestamp, field, t.reason));
}

/** One sample as the raw topic carries it, or the first reason it cannot be. */
export function validateMetric(fields: MetricFields, source: IngestSource): Outcome<NodeMetricRaw> {
  const nodeId = requiredText(fields.node_id, 'node_id');
  if (!nodeId.ok) return nodeId.outcome;
  const metric = requiredText(fields.metric, 'metric', METRIC_NAME);
  if (!metric.ok) return metric.outcome;
  const value = number(fields.value, 'value', true);
  if (!value.ok) return value.outcome;
  const capacity = number(fields.capacity, 'capacity', false);
  if (!capacity.ok) return capacity.outcome;
  const unit = optionalText(fields.unit, 'unit');
  if (!unit.ok) return unit.outcome;
  const time = eventTime(fields.event_time, 'event_time');
  if (!time.ok) return time.outcome;
  const lbls = labels(fields.labels);
  if (!lbls.ok) return lbls.outcome;

  const normalisedUnit = (unit.value ?? '').toLowerCase();
  if (NON_NEGATIVE_UNITS.has(normalisedUnit) && (value.value as number) < 0) {
    return reject(RejectReason.negative, 'value', `${value.value} ${normalisedUnit} is negative`);
  }
  if (capacity.value !== null && capacity.value < 0) {
    return reject(RejectReason.negative, 'capacity', `${capacity.value} is negative`);
  }
  return ok({
    node_id: nodeId.value,
    metric: metric.value,
    value: value.value as number,
    capacity: capacity.value,
    unit: normalisedUnit,
    event_time: time.value,
    source,
    labels: lbls.value,
  });
}

/** A node's metadata, or its tombstone (`value: null`) when the record asks for the node to be removed. */
export interface MetadataUpdate {
  readonly node_id: string;
  readonly value: NodeMetadata | null;
}

export function validateMetadata(fields: MetadataFields, now: () => number = Date.now): Outcome<MetadataUpdate> {
  const nodeId = requiredText(fields.node_id, 'node_id');
  if (!nodeId.ok) return nodeId.outcome;
  if (fields.deleted === true || fields.deleted === 'true') return ok({ node_id: nodeId.value, value: null });
  const instanceType = optionalText(fields.instance_type, 'instance_type');
  if (!instanceType.ok) return instanceType.outcome;
  const zone = optionalText(fields.zone, 'zone');
  if (!zone.ok) return zone.outcome;
  const lbls = labels(fields.labels);
  if (!lbls.ok) return lbls.outcome;
  // A snapshot (the seed's node table) has no update time: it is as of when it is ingested.
  const updated = fields.updated_at === undefined || fields.updated_at === null || fields.updated_at === ''
    ? pass(now())
    : eventTime(fields.updated_at, 'updated_at');
  if (!updated.ok) return updated.outcome;
  return ok({
    node_id: nodeId.value,
    value: { node_id: nodeId.value, instance_type: instanceType.value, zone: zone.value, labels: lbls.value, updated_at: updated.value },
  });
}
