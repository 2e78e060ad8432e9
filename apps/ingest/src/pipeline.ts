import type { NodeMetricRaw } from '@meterline/schemas';
import { Pipeline, step } from '@meterline/stream';
import type { IngestSource, MetadataFields, MetricFields } from './candidate';
import { validateMetadata, validateMetric, type MetadataUpdate } from './validate';

/** Where a record came from and how it arrived, carried through the steps for the DLQ and error reports. */
export interface IngestContext {
  /** The record's place in what the caller handed in (an HTTP request's array index, a replay chunk's row). */
  readonly index: number;
  readonly position: Readonly<Record<string, string>>;
  readonly original: string;
}

/** The named steps a metric sample passes on its way to metrics.node.raw.v1. */
export const metricPipeline = (source: IngestSource) =>
  Pipeline.of<MetricFields, IngestContext>().then(
    step('validate-metric', (fields: MetricFields) => validateMetric(fields, source)),
  ) satisfies Pipeline<MetricFields, NodeMetricRaw, IngestContext>;

/** The steps node metadata passes on its way to metadata.node.v1 (a tombstone when the node was removed). */
export const metadataPipeline = (now: () => number = Date.now) =>
  Pipeline.of<MetadataFields, IngestContext>().then(
    step('validate-metadata', (fields: MetadataFields) => validateMetadata(fields, now)),
  ) satisfies Pipeline<MetadataFields, MetadataUpdate, IngestContext>;
