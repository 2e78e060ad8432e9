import { fatalError } from '@meterline/stream';
import type { NodeMetricEnriched } from '@meterline/schemas';
import {
  nodeMetricAggregator,
  nodeMetricKey,
  tumbling,
  WindowEngine,
  type Aggregator,
  type EngineStats,
  type NodeMetricAcc,
  type NodeMetricAggResult,
  type PartitionChangelogState,
} from '@meterline/windows';
import { Deduplicator } from './dedup';
import { toSample } from './enrich';
import { HoldBuffer, type Held } from './hold-buffer';
import { dedupFromParts, dedupParts, PartWriter, windowFromParts, windowParts, type PartChange } from './state-parts';

/** The stores of the changelog: one entry per store and key, the latest wins (a compacted topic). */
export const STORES = ['window', 'watermark', 'dedup', 'hold'] as const;
export type StoreName = (typeof STORES)[number];

/**
 * One changelog entry: the state of a key of a store, in the input partition it belongs to; null once it is gone.
 * The window and dedup stores write a key's state in parts (state-parts.ts): their entry keys are `[key, part]`.
 */
export interface StateChange {
  readonly partition: number;
  readonly store: StoreName;
  readonly key: string;
  readonly json: string | null;
}

export interface StateOptions {
  readonly windowSizeMs: number;
  readonly windowGraceMs: number;
  readonly windowRetentionMs: number;
  readonly allowedLatenessMs: number;
  readonly idleTimeoutMs: number;
  readonly dedupHorizonMs: number;
  readonly holdTimeoutMs: number;
  readonly holdMaxRecords: number;
}

/** Per input partition: keyed by node, so every entry lives where the node's samples do. */
export interface PartitionStores {
  readonly dedup: Deduplicator;
  readonly hold: HoldBuffer;
}

export type EnrichedEngine = WindowEngine<NodeMetricEnriched, NodeMetricAcc, NodeMetricAggResult>;

/** The per-node aggregate over enriched records: the engine sees them through `toSample`. */
const enrichedAggregator: Aggregator<NodeMetricEnriched, NodeMetricAcc, NodeMetricAggResult> = {
  ...nodeMetricAggregator,
  add: (acc, e) => nodeMetricAggregator.add(acc, toSample(e)),
};

/**
 * Everything enrichment remembers, for the partitions this instance owns: one window engine over all of them (its
 * watermark is combined across partitions, per the design), and a deduplicator and a hold buffer per partition.
 * All of it leaves through `drain()` as changelog entries and comes back through `restore()`.
 */
export class EnrichmentState {
  readonly engine: EnrichedEngine;
  private readonly partitions = new Map<number, PartitionStores>();
  private readonly windowWriter = new PartWriter();
  private readonly dedupWriter = new PartWriter();
  /** Parts read by a restore in progress: store → partition → key → part → JSON (null: deleted). */
  private readonly pending = { window: new Map<string, Map<string, string | null>>(), dedup: new Map<string, Map<string, string | null>>() };
  private readonly pendingPartition = new Map<string, number>();

  constructor(private readonly options: StateOptions) {
    this.engine = new WindowEngine({
      window: tumbling({ sizeMs: options.windowSizeMs, graceMs: options.windowGraceMs, retentionMs: options.windowRetentionMs }),
      aggregator: enrichedAggregator,
      keyOf: nodeMetricKey,
      eventTimeOf: (e) => e.event_time,
      allowedLatenessMs: options.allowedLatenessMs,
      idleTimeoutMs: options.idleTimeoutMs,
    });
  }

  /** The stores of a partition, created empty on first use. */
  stores(partition: number): PartitionStores {
    let stores = this.partitions.get(partition);
    if (!stores) {
      stores = { dedup: new Deduplicator(this.options.dedupHorizonMs), hold: new HoldBuffer(this.options.holdTimeoutMs, this.options.holdMaxRecords) };
      this.partitions.set(partition, stores);
    }
    return stores;
  }

  /** Takes one changelog entry of `partition` (restore); call `finishRestore()` after the last. */
  restore(partition: number, store: string, key: string, json: string | null): void {
    const value: unknown = json === null ? null : JSON.parse(json);
    switch (store) {
      case 'window':
      case 'dedup': {
        // Parts of a key come in any order and a later one may delete an earlier: assembled once all are read.
        const [stateKey, part] = JSON.parse(key) as [string, string];
        const pendingKey = JSON.stringify([partition, stateKey]);
        const parts = this.pending[store].get(pendingKey) ?? new Map<string, string | null>();
        parts.set(part, json);
        this.pending[store].set(pendingKey, parts);
        return;
      }
      case 'watermark':
        return this.engine.restorePartition(Number(key), value as PartitionChangelogState | null);
      case 'hold':
        return this.stores(partition).hold.restore(key, value as Held[] | null);
      default:
        throw fatalError('STATE_UNKNOWN_STORE', `a changelog entry names store "${store}", which this version does not have`);
    }
  }

  /** Applies the window and dedup state a restore read. */
  finishRestore(): void {
    for (const store of ['window', 'dedup'] as const) {
      for (const [pendingKey, read] of this.pending[store]) {
        const [partition, key] = JSON.parse(pendingKey) as [number, string];
        const parts = new Map([...read].filter((e): e is [string, string] => e[1] !== null));
        if (store === 'window') {
          const state = windowFromParts(parts);
          if (state === null) continue;
          this.engine.restoreKey(key, state);
          this.windowWriter.seed(key, partition, parts);
        } else {
          const state = dedupFromParts(parts);
          if (state === null) continue;
          this.stores(partition).dedup.restore(key, state);
          this.dedupWriter.seed(key, partition, parts);
        }
      }
      this.pending[store].clear();
    }
  }

  /**
   * Restored (or new) partitions start holding the watermark back, with a fresh idle timer — except those with nothing
   * left to read (Kafka Streams' rule: a caught-up partition does not make the others wait). Without that exception
   * a replay into one partition ran for the whole idle timeout with no watermark, every window of its nodes open at
   * once, and each chunk rewrote that ever-growing state to the changelog.
   */
  assign(partitions: readonly number[], now: number, caughtUp: ReadonlySet<number> = new Set()): void {
    for (const p of partitions) this.stores(p);
    this.engine.assign(partitions.filter((p) => !caughtUp.has(p)), now);
    this.engine.assign(partitions.filter((p) => caughtUp.has(p)), now - this.options.idleTimeoutMs - 1);
  }

  /** Forgets revoked partitions; their state stays in the changelog for the next owner. */
  revoke(partitions: readonly number[]): void {
    this.engine.revoke(partitions);
    for (const p of partitions) this.partitions.delete(p);
    this.windowWriter.forgetPartitions(new Set(partitions));
    this.dedupWriter.forgetPartitions(new Set(partitions));
  }

  /** Every change since the last drain, as changelog entries. */
  drain(): StateChange[] {
    const changes: StateChange[] = [];
    const parted = (store: 'window' | 'dedup', partition: number) => (c: PartChange) =>
      changes.push({ partition, store, key: JSON.stringify([c.key, c.part]), json: c.json });
    for (const c of this.engine.drainChanges()) {
      if (c.scope === 'key') {
        this.windowWriter.changes(c.key, c.partition, c.state === null ? null : windowParts(c.state)).forEach(parted('window', c.partition));
      } else {
        changes.push({ partition: c.partition, store: 'watermark', key: String(c.partition), json: JSON.stringify(c.state) });
      }
    }
    for (const [partition, { dedup, hold }] of this.partitions) {
      for (const [node, state] of dedup.drainChanges()) this.dedupWriter.changes(node, partition, dedupParts(state)).forEach(parted('dedup', partition));
      for (const [node, held] of hold.drainChanges()) changes.push({ partition, store: 'hold', key: node, json: jsonOrNull(held) });
    }
    return changes;
  }

  stats(): EngineStats & { readonly held: number; readonly dedupEntries: number } {
    let held = 0;
    let dedupEntries = 0;
    for (const { dedup, hold } of this.partitions.values()) {
      held += hold.size;
      dedupEntries += dedup.size;
    }
    return { ...this.engine.stats(), held, dedupEntries };
  }
}

const jsonOrNull = (value: unknown): string | null => (value === null ? null : JSON.stringify(value));
