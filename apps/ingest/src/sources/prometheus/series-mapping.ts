import type { Candidate, IngestSource, MetricFields } from '../../candidate';
import type { Exposition } from './exposition';
import { unitOfMetric } from './metric-unit';
import { nodeIdOf, type NodeIdOptions } from './node-id';
import type { PromLabel } from './series';
import { seriesText, valueText } from './series-text';
import type { WriteRequest } from './write-request';

export interface SeriesMappingOptions extends NodeIdOptions {
  /** `remote_write` or `scrape`: the `source` validation writes into every record. */
  readonly source: IngestSource;
}

export const DEFAULT_NODE_LABELS: readonly string[] = ['node', 'instance'];

export interface MappedSamples {
  /** The source the caller named, to hand to `validateMetric` with the candidates. */
  readonly source: IngestSource;
  readonly candidates: Candidate<MetricFields>[];
  /** Staleness markers met: series that ended. They are not measurements, so they become no records. */
  readonly stale: number;
}

/** A sample with everything the mapping needs, whichever protocol brought it. */
export interface SampleToMap {
  /** All labels, `__name__` included. */
  readonly labels: readonly PromLabel[];
  readonly value: number;
  /** Epoch ms; undefined for an exposition line without a timestamp. */
  readonly timestampMs: number | undefined;
  readonly stale: boolean;
  readonly position: Readonly<Record<string, string>>;
  readonly original: string;
}

/**
 * Samples to candidate raw metrics: the metric is `__name__`, the node the first configured node label, the labels all
 * but `__name__` (the node label stays: with its port it still tells two exporters on one node apart), the unit from
 * the name. Values are passed on as they are, NaN and ±Inf included, for validation to accept or reject with a reason.
 */
export function mapSamples(
  samples: Iterable<SampleToMap>,
  options: SeriesMappingOptions,
  /** The event time of samples without a timestamp: the scrape's start, as Prometheus does. */
  defaultTimeMs?: number,
): MappedSamples {
  const candidates: Candidate<MetricFields>[] = [];
  let stale = 0;
  for (const sample of samples) {
    if (sample.stale) {
      stale += 1;
      continue;
    }
    const metric = sample.labels.find((l) => l.name === '__name__')?.value;
    const labels: Record<string, string> = {};
    for (const { name, value } of sample.labels) if (name !== '__name__') labels[name] = value;
    candidates.push({
      fields: {
        node_id: nodeIdOf(sample.labels, options),
        metric,
        value: sample.value,
        unit: metric === undefined ? undefined : unitOfMetric(metric),
        event_time: sample.timestampMs ?? defaultTimeMs,
        labels,
      },
      position: sample.position,
      original: sample.original,
    });
  }
  return { source: options.source, candidates, stale };
}

/** Every sample of a remote-write request; position `{ series: 'name{labels}', sample: '<index in the series>' }`. */
export function mapWriteRequest(request: WriteRequest, options: SeriesMappingOptions): MappedSamples {
  return mapSamples(writeRequestSamples(request), options);
}

function* writeRequestSamples(request: WriteRequest): Iterable<SampleToMap> {
  for (const series of request.timeseries) {
    const text = seriesText(series.labels);
    for (const [index, sample] of series.samples.entries()) {
      yield {
        labels: series.labels,
        ...sample,
        position: { series: text, sample: String(index) },
        original: `${text} ${valueText(sample.value)} ${sample.timestampMs ?? ''}`.trimEnd(),
      };
    }
  }
}

export interface ScrapeContext {
  /** The scraped URL, as configured. */
  readonly target: string;
  /** When the scrape started (epoch ms): the event time of lines without a timestamp. */
  readonly scrapeTimeMs: number;
  /**
   * Labels the target gives every sample that does not expose the same label itself, as Prometheus attaches
   * `instance` (host:port of the target): a node-exporter's own samples carry no label naming the node.
   */
  readonly targetLabels?: readonly PromLabel[];
}

/** Every sample of a scraped exposition; position `{ target, line }`, original the line as it arrived. */
export function mapExposition(exposition: Exposition, context: ScrapeContext, options: SeriesMappingOptions): MappedSamples {
  const targetLabels = context.targetLabels ?? [];
  const samples = exposition.samples.map(
    (s): SampleToMap => ({
      labels: [
        { name: '__name__', value: s.name },
        ...s.labels,
        ...targetLabels.filter((t) => !s.labels.some((l) => l.name === t.name)),
      ],
      value: s.value,
      timestampMs: s.timestampMs,
      stale: false,
      position: { target: context.target, line: String(s.line) },
      original: s.text,
    }),
  );
  return mapSamples(samples, options, context.scrapeTimeMs);
}
