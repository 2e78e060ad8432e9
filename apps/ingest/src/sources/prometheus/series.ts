/** A label as Prometheus sends it; `__name__` carries the metric name. Order is kept as received. */
export interface PromLabel {
  readonly name: string;
  readonly value: string;
}

export interface PromSample {
  readonly value: number;
  /** Epoch milliseconds; `undefined` when the exposition line had no timestamp (the scrape time applies). */
  readonly timestampMs: number | undefined;
  /** A staleness marker (see stale-marker.ts): the series ended; not a measurement. */
  readonly stale: boolean;
}

export interface PromSeries {
  readonly labels: readonly PromLabel[];
  readonly samples: readonly PromSample[];
}
