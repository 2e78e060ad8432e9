import type { Manifest } from './manifest';
import { generatorVersion } from './manifest';
import type { GeneratedNode } from './node-table';
import type { ResolvedOptions } from './options';
import { invalidKinds, isoTime, type InvalidKind } from './records';

/** Series are numbered node × 2 + metric, so per-series state lives in typed arrays rather than a map of strings. */
export const metricIndex = { cpu_usage: 0, memory_usage: 1 } as const;

/**
 * Counts what the generator emits, as it emits it, and assigns each record its line in its file. Out-of-order and
 * late are measured here against what was actually emitted before, not taken from the delay a sample was given: a
 * held-back sample whose newer neighbours were held back too is not out of order when it arrives.
 */
export class Ledger {
  private metricLines = 0;
  private metadataLines = 0;
  private readonly seriesMax: Float64Array;
  private globalMax = -Infinity;
  private readonly hasMetadata: Uint8Array;
  private readonly sampledBeforeMetadata: Uint8Array;
  private readonly sampledWithoutCapacity: Uint8Array;
  private readonly wasUpdated: Uint8Array;
  private readonly wasRemoved: Uint8Array;
  private valid = 0;
  private duplicates = 0;
  private outOfOrder = 0;
  private late = 0;
  private beforeMetadata = 0;
  private bursts = 0;
  private initial = 0;
  private updates = 0;
  private removals = 0;
  private readonly invalid = Object.fromEntries(invalidKinds.map((k) => [k, 0])) as Record<InvalidKind, number>;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly nodes: readonly GeneratedNode[],
  ) {
    this.seriesMax = new Float64Array(nodes.length * 2).fill(-Infinity);
    this.hasMetadata = new Uint8Array(nodes.length);
    this.sampledBeforeMetadata = new Uint8Array(nodes.length);
    this.sampledWithoutCapacity = new Uint8Array(nodes.length);
    this.wasUpdated = new Uint8Array(nodes.length);
    this.wasRemoved = new Uint8Array(nodes.length);
  }

  /** A valid sample was emitted; returns its line. */
  sample(node: number, metric: 0 | 1, eventTime: number, withCapacity: boolean, duplicate: boolean): number {
    this.valid++;
    if (duplicate) this.duplicates++;
    const series = node * 2 + metric;
    if (eventTime < this.globalMax - this.options.allowedLatenessMs) this.late++;
    else if (eventTime < (this.seriesMax[series] as number)) this.outOfOrder++;
    if (eventTime > (this.seriesMax[series] as number)) this.seriesMax[series] = eventTime;
    if (eventTime > this.globalMax) this.globalMax = eventTime;
    if (!this.hasMetadata[node]) {
      this.beforeMetadata++;
      this.sampledBeforeMetadata[node] = 1;
    }
    if (!withCapacity) this.sampledWithoutCapacity[node] = 1;
    return ++this.metricLines;
  }

  /** A corrupted record was emitted; returns its line. */
  invalidRecord(kind: InvalidKind): number {
    this.invalid[kind]++;
    return ++this.metricLines;
  }

  /** A metadata record (or, with `removed`, a tombstone) was emitted; returns its line. */
  metadata(node: number, removed: boolean): number {
    if (removed) {
      this.removals++;
      this.wasRemoved[node] = 1;
    } else if (this.hasMetadata[node]) {
      this.updates++;
      this.wasUpdated[node] = 1;
    } else {
      this.initial++;
      this.hasMetadata[node] = 1;
    }
    return ++this.metadataLines;
  }

  burst(): void {
    this.bursts++;
  }

  manifest(): Manifest {
    const o = this.options;
    const ids = (flags: Uint8Array) => this.nodes.filter((n) => flags[n.index] === 1).map((n) => n.id);
    const tally = (key: (n: GeneratedNode) => string) => {
      const counts: Record<string, number> = {};
      for (const n of this.nodes) counts[key(n)] = (counts[key(n)] ?? 0) + 1;
      return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
    };
    const nodeIds = {
      withoutCapacity: ids(this.sampledWithoutCapacity),
      lateMetadata: ids(this.sampledBeforeMetadata),
      updated: ids(this.wasUpdated),
      removed: ids(this.wasRemoved),
    };
    return {
      generator: generatorVersion,
      seed: o.seed,
      options: {
        nodes: o.nodes,
        start: isoTime(o.startMs),
        durationMs: o.durationMs,
        intervalMs: o.intervalMs,
        allowedLatenessMs: o.allowedLatenessMs,
        burstsPerNodeDay: o.burstsPerNodeDay,
        metadataUpdates: o.metadataUpdates,
        removedNodes: o.removedNodes,
        cluster: o.cluster,
        rates: { ...o.rates },
      },
      units: { cpu_usage: 'cores', memory_usage: 'bytes' },
      records: { metric: this.metricLines, metadata: this.metadataLines },
      nodes: {
        total: this.nodes.length,
        withoutCapacity: nodeIds.withoutCapacity.length,
        lateMetadata: nodeIds.lateMetadata.length,
        updated: nodeIds.updated.length,
        removed: nodeIds.removed.length,
        byInstanceType: tally((n) => n.instanceType.name),
        byZone: tally((n) => n.zone),
      },
      nodeIds,
      metrics: {
        valid: this.valid,
        duplicates: this.duplicates,
        outOfOrder: this.outOfOrder,
        late: this.late,
        invalid: { ...this.invalid },
        beforeMetadata: this.beforeMetadata,
        bursts: this.bursts,
      },
      metadata: { initial: this.initial, updates: this.updates, removals: this.removals },
    };
  }
}
