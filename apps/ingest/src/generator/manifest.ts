import type { QuirkRates } from './options';
import type { InvalidKind } from './records';

/** Bumped whenever the same seed and options would give different bytes, so a dataset says which algorithm made it. */
export const generatorVersion = 'meterline-generate/1';

/** The files `writeDataset` writes into its directory. Line numbers in candidate positions refer to these. */
export const datasetFiles = { metrics: 'metrics.ndjson', metadata: 'metadata.ndjson', manifest: 'manifest.json' } as const;

export interface ManifestOptions {
  readonly nodes: number;
  /** ISO-8601 UTC. */
  readonly start: string;
  readonly durationMs: number;
  readonly intervalMs: number;
  readonly allowedLatenessMs: number;
  readonly burstsPerNodeDay: number;
  readonly metadataUpdates: number;
  readonly removedNodes: number;
  readonly cluster: string;
  readonly rates: QuirkRates;
}

/**
 * Everything countable about a generated dataset, counted from the records as they were emitted (not from what the
 * generator intended), so a test that recounts the records must arrive at the same numbers.
 */
export interface Manifest {
  readonly generator: string;
  readonly seed: number;
  readonly options: ManifestOptions;
  readonly units: { readonly cpu_usage: 'cores'; readonly memory_usage: 'bytes' };
  readonly records: { readonly metric: number; readonly metadata: number };
  readonly nodes: {
    readonly total: number;
    /** Nodes whose samples all carry `capacity: null`. */
    readonly withoutCapacity: number;
    /** Nodes with at least one valid sample emitted before their first metadata record. */
    readonly lateMetadata: number;
    /** Nodes whose instance type changed (one metadata update each). */
    readonly updated: number;
    /** Nodes removed by a tombstone. */
    readonly removed: number;
    /** By the instance type each node started with. */
    readonly byInstanceType: Readonly<Record<string, number>>;
    readonly byZone: Readonly<Record<string, number>>;
  };
  /** The node ids behind the node counts, for tests that follow one node through the pipeline. */
  readonly nodeIds: {
    readonly withoutCapacity: readonly string[];
    readonly lateMetadata: readonly string[];
    readonly updated: readonly string[];
    readonly removed: readonly string[];
  };
  readonly metrics: {
    /** Metric records that pass validation, duplicates included. */
    readonly valid: number;
    /** Valid records whose (node, metric, event time) was emitted before: byte-for-byte copies. */
    readonly duplicates: number;
    /** Valid records emitted after a newer one of their series, yet at most `allowedLatenessMs` behind the newest event time. */
    readonly outOfOrder: number;
    /** Valid records more than `allowedLatenessMs` behind the newest event time emitted before them (any node). */
    readonly late: number;
    /** Records validation must reject, by how they are broken. */
    readonly invalid: Readonly<Record<InvalidKind, number>>;
    /** Valid records emitted before their node's first metadata record. */
    readonly beforeMetadata: number;
    /** Load bursts started (not visible as a field; a plausibility figure). */
    readonly bursts: number;
  };
  readonly metadata: {
    /** First metadata record of a node (on time or late). */
    readonly initial: number;
    /** Later metadata records of a node (instance type changes). */
    readonly updates: number;
    /** Tombstones (`deleted: true`). */
    readonly removals: number;
  };
}

/** What `writeDataset` adds: the files and a digest of their uncompressed content. */
export interface DatasetFile {
  readonly path: string;
  readonly records: number;
  /** SHA-256 of the uncompressed NDJSON: gzip headers differ between zlib builds and operating systems, the content does not. */
  readonly sha256: string;
}

export interface WrittenManifest extends Manifest {
  readonly compression: 'none' | 'gzip';
  readonly files: { readonly metrics: DatasetFile; readonly metadata: DatasetFile };
}
