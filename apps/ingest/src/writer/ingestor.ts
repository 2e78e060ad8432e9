import {
  deadLetterHeaders,
  type EncodedBatch,
  type TopicHandle,
  type TransactionalBatcher,
} from '@meterline/kafka';
import type { PipelineMetrics } from '@meterline/observability';
import type { NodeMetadata, NodeMetricRaw } from '@meterline/schemas';
import { classify, poisonError, type Item, type Pipeline, type Rejected } from '@meterline/stream';
import type { Candidate, IngestSource, MetadataFields, MetricFields } from '../candidate';
import { metadataPipeline, metricPipeline, type IngestContext } from '../pipeline';
import type { MetadataUpdate } from '../validate';
import type { IngestMetrics } from './ingest-metrics';

export interface IngestTopics {
  readonly metrics: TopicHandle<string, NodeMetricRaw>;
  readonly metadata: TopicHandle<string, NodeMetadata | null>;
}

/** One record that was not accepted, reported back to whoever sent it (and written to the DLQ). */
export interface Rejection {
  readonly index: number;
  readonly code: string;
  readonly message: string;
}

export interface IngestResult {
  readonly accepted: number;
  readonly rejected: readonly Rejection[];
}

type Kind = 'metric' | 'metadata';

/**
 * The one way records enter Kafka, whatever the source: validate (named pipeline steps), encode, and commit the valid
 * records and the dead letters of the invalid ones in one transaction. The returned promise settles after the commit:
 * an HTTP request is answered only once Kafka has its records, and a failed transaction leaves none of them behind.
 */
export class Ingestor {
  private readonly metricSteps = new Map<IngestSource, Pipeline<MetricFields, NodeMetricRaw, IngestContext>>();
  private readonly metadataSteps: Pipeline<MetadataFields, MetadataUpdate, IngestContext>;

  constructor(
    private readonly topics: IngestTopics,
    private readonly batcher: TransactionalBatcher,
    private readonly metrics: { readonly pipeline?: PipelineMetrics; readonly ingest?: IngestMetrics } = {},
    now: () => number = Date.now,
  ) {
    this.metadataSteps = metadataPipeline(now);
  }

  ingestMetrics(candidates: readonly Candidate<MetricFields>[], source: IngestSource): Promise<IngestResult> {
    let steps = this.metricSteps.get(source);
    if (!steps) this.metricSteps.set(source, (steps = metricPipeline(source)));
    return this.ingest('metric', source, candidates, steps, this.topics.metrics, (r) => ({ key: r.node_id, value: r }));
  }

  ingestMetadata(candidates: readonly Candidate<MetadataFields>[], source: IngestSource): Promise<IngestResult> {
    return this.ingest('metadata', source, candidates, this.metadataSteps, this.topics.metadata, (u) => ({
      key: u.node_id,
      value: u.value,
    }));
  }

  private async ingest<F, O, V>(
    kind: Kind,
    source: IngestSource,
    candidates: readonly Candidate<F>[],
    steps: Pipeline<F, O, IngestContext>,
    topic: TopicHandle<string, V>,
    toRecord: (output: O) => { key: string; value: V },
  ): Promise<IngestResult> {
    if (candidates.length === 0) return { accepted: 0, rejected: [] };
    this.metrics.ingest?.received.inc({ source, kind }, candidates.length);
    const items: Item<F, IngestContext>[] = [];
    const unreadable: Rejected<IngestContext>[] = [];
    candidates.forEach((c, index) => {
      // `original` stays a getter: rendering it is only worth it for the few records that end in the DLQ.
      const ctx = {
        index,
        position: c.position,
        get original() {
          return c.original;
        },
      };
      if (c.problem) unreadable.push({ ctx, step: 'read', error: poisonError(c.problem.code, c.problem.message) });
      else items.push({ value: c.fields, ctx });
    });
    const result = steps.runBatch(items, (step, records, seconds) => {
      if (records > 0) this.metrics.pipeline?.recordProcessingSeconds.observe({ step }, seconds / records);
    });

    const rejected: Rejected<IngestContext>[] = [...unreadable, ...result.poisoned];
    const messages: EncodedBatch['messages'] = [];
    for (const { value, ctx } of result.outputs) {
      try {
        const record = toRecord(value);
        // A null value is a tombstone: Kafka's compaction then forgets the node.
        messages.push({ key: topic.key.encode(record.key), value: record.value === null ? null : topic.value.encode(record.value) });
      } catch (err) {
        const error = classify(err);
        if (error.kind !== 'poison') throw error;
        rejected.push({ ctx, step: 'encode', error });
      }
    }
    const deadLetters = rejected.map((r) => {
      const value = Buffer.from(r.ctx.original);
      const headers = deadLetterHeaders({ topic: topic.dlq, key: null, value, error: r.error, step: r.step, source: r.ctx.position });
      return { key: null, value, headers };
    });

    await this.batcher.send([
      { topic: topic.name, messages },
      { topic: topic.dlq, messages: deadLetters },
    ]);

    this.metrics.pipeline?.recordsProduced.inc({ topic: topic.name }, messages.length);
    for (const r of rejected) {
      this.metrics.ingest?.rejected.inc({ source, kind, reason: r.error.code });
      this.metrics.pipeline?.dlqRecords.inc({ topic: topic.name, code: r.error.code });
    }
    return {
      accepted: messages.length,
      rejected: rejected
        .map((r) => ({ index: r.ctx.index, code: r.error.code, message: r.error.message }))
        .sort((a, b) => a.index - b.index),
    };
  }
}
