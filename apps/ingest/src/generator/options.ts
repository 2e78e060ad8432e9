import { parseEventTime } from '../event-time';

/** How often each deliberate quirk occurs. Node rates pick round(rate × nodes) nodes; sample rates are per sample. */
export interface QuirkRates {
  /** Nodes whose samples carry `capacity: null`, as from a source that knows usage but not the node's size. */
  readonly nodesWithoutCapacity: number;
  /** Nodes whose first metadata record is emitted after some of their samples (between 2 and 30 minutes in). */
  readonly lateMetadataNodes: number;
  /** Samples sent twice, byte for byte, one right after the other (an agent retrying a lost acknowledgement). */
  readonly duplicates: number;
  /** Samples held back and emitted after newer ones of their series, but no more than the allowed lateness behind. */
  readonly outOfOrder: number;
  /** Samples held back so long that they arrive more than the allowed lateness behind the stream's newest event time. */
  readonly late: number;
  /** Samples followed by a corrupted copy (negative, NaN, no node id, unparseable time) that validation must reject. */
  readonly invalid: number;
}

export interface GeneratorOptions {
  /** 0 … 2³²−1; the same seed and options give the same bytes on every machine. */
  readonly seed: number;
  readonly nodes: number;
  /** Event time of the first sample: ISO-8601 or epoch (s, ms, µs, ns), read like any record's event time. */
  readonly start: string | number;
  readonly durationMs: number;
  /** Time between two samples of a node (the scrape interval); at least one second. */
  readonly intervalMs: number;
  /**
   * The lateness the dataset is built around, meant to equal the pipeline's allowed lateness: out-of-order samples
   * stay within it, late samples go beyond it.
   */
  readonly allowedLatenessMs: number;
  /** Load bursts (a batch job, a deploy) per node and day of event time, each 5–30 minutes long. */
  readonly burstsPerNodeDay: number;
  /** Nodes whose instance type changes once mid-stream (a metadata update, and the capacity of later samples). */
  readonly metadataUpdates: number;
  /** Nodes removed mid-stream: a tombstone, and no samples after it. */
  readonly removedNodes: number;
  /** The `cluster` label of every sample. */
  readonly cluster: string;
  readonly rates: QuirkRates;
}

/** What callers pass: any option may be left out, and so may any single rate. */
export type GeneratorOverrides = Partial<Omit<GeneratorOptions, 'rates'>> & { readonly rates?: Partial<QuirkRates> };

/**
 * The bundled demo dataset: 20 nodes × 6 h × 60 s, 14,400 samples, replayed in seconds. It starts at 06:00 on a
 * Monday so the six hours climb from night load into business hours, and 2 h feature windows see the change.
 */
export const defaultGeneratorOptions: GeneratorOptions = Object.freeze({
  seed: 7,
  nodes: 20,
  start: '2024-08-26T06:00:00Z',
  durationMs: 6 * 3_600_000,
  intervalMs: 60_000,
  allowedLatenessMs: 10 * 60_000,
  burstsPerNodeDay: 3,
  metadataUpdates: 2,
  removedNodes: 1,
  cluster: 'meterline-demo',
  rates: Object.freeze({
    nodesWithoutCapacity: 0.1,
    lateMetadataNodes: 0.1,
    duplicates: 0.005,
    outOfOrder: 0.005,
    late: 0.001,
    invalid: 0.001,
  }),
});

/** Options after validation, with the values the generator derives from them. */
export interface ResolvedOptions extends GeneratorOptions {
  readonly startMs: number;
  /** Number of sampling instants: samples are taken at start + k × interval for k in [0, ticks). */
  readonly ticks: number;
}

export class GeneratorOptionsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid generator options:\n- ${problems.join('\n- ')}`);
    this.name = 'GeneratorOptionsError';
  }
}

const MAX_NODES = 1_000_000;

const isInt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);
const isFraction = (n: unknown) => typeof n === 'number' && n >= 0 && n <= 1;

/** Merges overrides onto the defaults and checks them, reporting every problem at once. */
export function resolveGeneratorOptions(overrides: GeneratorOverrides = {}): ResolvedOptions {
  const o: GeneratorOptions = {
    ...defaultGeneratorOptions,
    ...overrides,
    rates: { ...defaultGeneratorOptions.rates, ...overrides.rates },
  };
  const problems: string[] = [];
  const problem = (ok: boolean, text: string) => {
    if (!ok) problems.push(text);
  };

  problem(isInt(o.seed) && o.seed >= 0 && o.seed <= 0xffffffff, `seed must be an integer in 0..4294967295, got ${o.seed}`);
  problem(isInt(o.nodes) && o.nodes >= 1 && o.nodes <= MAX_NODES, `nodes must be an integer in 1..${MAX_NODES}, got ${o.nodes}`);
  const start = parseEventTime(o.start);
  if (!start.ok) problems.push(`start: ${start.reason}`);
  problem(isInt(o.intervalMs) && o.intervalMs >= 1000, `intervalMs must be an integer of at least 1000, got ${o.intervalMs}`);
  problem(isInt(o.durationMs) && o.durationMs >= o.intervalMs, `durationMs must be an integer ≥ intervalMs, got ${o.durationMs}`);
  problem(isInt(o.allowedLatenessMs) && o.allowedLatenessMs >= 0, `allowedLatenessMs must be an integer ≥ 0, got ${o.allowedLatenessMs}`);
  problem(
    typeof o.burstsPerNodeDay === 'number' && o.burstsPerNodeDay >= 0 && o.burstsPerNodeDay <= 1000,
    `burstsPerNodeDay must be in 0..1000, got ${o.burstsPerNodeDay}`,
  );
  problem(isInt(o.metadataUpdates) && o.metadataUpdates >= 0, `metadataUpdates must be an integer ≥ 0, got ${o.metadataUpdates}`);
  problem(isInt(o.removedNodes) && o.removedNodes >= 0, `removedNodes must be an integer ≥ 0, got ${o.removedNodes}`);
  problem(typeof o.cluster === 'string' && o.cluster.trim() !== '', 'cluster must be a non-empty string');
  for (const [name, rate] of Object.entries(o.rates)) problem(isFraction(rate), `rates.${name} must be in 0..1, got ${rate}`);
  const { duplicates, outOfOrder, late, invalid } = o.rates;
  // One uniform draw per sample picks at most one quirk, so the four sample rates share one unit interval.
  problem(duplicates + outOfOrder + late + invalid <= 1, 'rates.duplicates + outOfOrder + late + invalid must not exceed 1');

  const ticks = isInt(o.durationMs) && isInt(o.intervalMs) && o.intervalMs > 0 ? Math.floor(o.durationMs / o.intervalMs) : 0;
  if (outOfOrder > 0) {
    // An out-of-order sample is held back at least one interval and must still arrive within the lateness.
    problem(o.allowedLatenessMs >= 2 * o.intervalMs, 'rates.outOfOrder needs allowedLatenessMs of at least 2 × intervalMs');
  }
  if (o.metadataUpdates > 0 || o.removedNodes > 0) {
    problem(ticks >= 2, 'metadataUpdates and removedNodes need at least two sampling instants (durationMs ≥ 2 × intervalMs)');
  }
  // Removed, updated and late-metadata nodes are distinct nodes, so each quirk is seen on its own.
  const lateMetadata = Math.round(o.rates.lateMetadataNodes * o.nodes);
  problem(
    o.removedNodes + o.metadataUpdates + lateMetadata <= o.nodes,
    `removedNodes + metadataUpdates + late-metadata nodes ` +
      `(${o.removedNodes} + ${o.metadataUpdates} + ${lateMetadata}) exceed nodes (${o.nodes})`,
  );

  if (problems.length > 0 || !start.ok) throw new GeneratorOptionsError(problems);
  return Object.freeze({ ...o, rates: Object.freeze(o.rates), startMs: start.ms, ticks });
}
