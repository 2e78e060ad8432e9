import type { Candidate, MetadataFields, MetricFields } from '../candidate';
import { activity } from './daily-cycle';
import { Ledger, metricIndex } from './ledger';
import { initialLoadState, nextLoad } from './load-model';
import { datasetFiles, type Manifest } from './manifest';
import { buildNodes, instanceTypeAt, type GeneratedNode } from './node-table';
import { resolveGeneratorOptions, type GeneratorOverrides, type ResolvedOptions } from './options';
import { createRng } from './prng';
import {
  corrupt,
  cpuRecord,
  invalidKinds,
  isoTime,
  memoryRecord,
  metadataRecord,
  metricSerializer,
  tombstoneRecord,
  type MetadataRecord,
  type MetricRecord,
} from './records';

// Bound once, as in prng.ts: global lookups are slow inside Jest's sandbox.
const { round } = Math;

export type GeneratedRecord =
  | { readonly kind: 'metric'; readonly candidate: Candidate<MetricFields> }
  | { readonly kind: 'metadata'; readonly candidate: Candidate<MetadataFields> };

/** One pass over a generated dataset, in emission order. */
export interface GeneratorRun extends Iterable<GeneratedRecord> {
  readonly options: ResolvedOptions;
  /** The counts of what was emitted; available once every record has been read. */
  manifest(): Manifest;
}

const DAY = 86_400_000;

/** A sample held back for the deliberate reordering, with what the ledger needs when it finally goes out. */
interface Held {
  readonly record: MetricRecord;
  readonly node: number;
  readonly metric: 0 | 1;
  readonly eventTime: number;
}

/**
 * Generates the dataset in event-time order: sampling instant by instant, node by node, CPU then memory. Memory stays
 * flat whatever the size: per node only its load state, plus the samples held back for reordering (at most the
 * late-delay horizon's worth).
 *
 * Within one instant the order is: tombstones of nodes removed now; per node its metadata update (if due now), then
 * its samples, each duplicate or corrupted copy right after its original; then the held-back samples due now; then the
 * metadata of late-metadata nodes due now. Every node's metadata that is not late comes before the first sample.
 */
export function generate(overrides: GeneratorOverrides = {}): GeneratorRun {
  const options = resolveGeneratorOptions(overrides);
  const nodes = buildNodes(options);
  const ledger = new Ledger(options, nodes);
  let finished = false;
  function* all(): Generator<GeneratedRecord> {
    yield* emit(options, nodes, ledger);
    finished = true;
  }
  const records = all();
  return {
    options,
    [Symbol.iterator]: () => records,
    manifest: () => {
      if (!finished) throw new Error('the generator manifest is complete only after every record has been read');
      return ledger.manifest();
    },
  };
}

function* emit(o: ResolvedOptions, nodes: readonly GeneratedNode[], ledger: Ledger): Generator<GeneratedRecord> {
  const values = createRng(o.seed, 'values');
  const quirks = createRng(o.seed, 'quirks');
  const seed = String(o.seed);
  const labels = Object.freeze({ cluster: o.cluster });
  const loads = nodes.map(initialLoadState);
  const burstChance = (o.burstsPerNodeDay * o.intervalMs) / DAY;
  const held = new Map<number, Held[]>();

  // Delays in whole intervals; held samples go out at the end of their release instant. A sample released D intervals
  // on is less than D + 1 intervals behind the newest event time, so D ≤ lateness / interval − 1 keeps out-of-order
  // samples within the lateness. It is about D intervals behind (less only if the samples sent in between were held
  // back too), so D ≥ lateness / interval + 2 puts late ones beyond it with an interval to spare, and
  // D < 3 × lateness / interval keeps them less than three times the lateness behind. The ledger counts what
  // actually happened either way.
  const latenessTicks = Math.floor(o.allowedLatenessMs / o.intervalMs);
  const outOfOrderDelay = { min: 1, max: Math.max(1, latenessTicks - 1) };
  const lateDelay = { min: latenessTicks + 2, max: Math.max(latenessTicks + 2, 3 * latenessTicks - 1) };
  const { duplicates, outOfOrder, late, invalid } = o.rates;
  const bands = { duplicate: duplicates, outOfOrder: duplicates + outOfOrder, late: duplicates + outOfOrder + late };
  const invalidBand = bands.late + invalid;

  const serialise = metricSerializer();
  const metric = (record: MetricRecord, line: number): GeneratedRecord => ({
    kind: 'metric',
    candidate: {
      fields: record,
      position: { seed, file: datasetFiles.metrics, line: String(line) },
      original: serialise(record),
    },
  });
  const metadata = (record: MetadataRecord, line: number): GeneratedRecord => ({
    kind: 'metadata',
    candidate: {
      fields: record,
      position: { seed, file: datasetFiles.metadata, line: String(line) },
      original: JSON.stringify(record),
    },
  });
  const valid = (h: Held, duplicate: boolean) =>
    metric(h.record, ledger.sample(h.node, h.metric, h.eventTime, h.record.capacity !== null, duplicate));

  /** One sample and whichever single quirk one uniform draw gives it. */
  function* sample(h: Held, tick: number, endTick: number): Generator<GeneratedRecord> {
    const u = quirks.float();
    if (u < bands.duplicate) {
      yield valid(h, false);
      yield valid(h, true);
      return;
    }
    if (u < bands.late) {
      const delay = u < bands.outOfOrder ? outOfOrderDelay : lateDelay;
      const release = tick + quirks.intBetween(delay.min, delay.max);
      // Held samples must arrive while their node still exists, and before the dataset ends; otherwise sent on time.
      if (release < endTick) {
        const due = held.get(release);
        if (due) due.push(h);
        else held.set(release, [h]);
        return;
      }
    }
    yield valid(h, false);
    if (u >= bands.late && u < invalidBand) {
      const kind = invalidKinds[quirks.int(invalidKinds.length)] ?? 'nanValue';
      yield metric(corrupt(h.record, kind), ledger.invalidRecord(kind));
    }
  }

  for (const node of nodes) {
    if (node.lateMetadataTick === null) {
      const record = metadataRecord(node.id, node.instanceType, node.zone, isoTime(o.startMs));
      yield metadata(record, ledger.metadata(node.index, false));
    }
  }

  for (let tick = 0; tick < o.ticks; tick++) {
    const tickMs = o.startMs + tick * o.intervalMs;
    // Nodes share a few scrape offsets, so each instant's timestamps are formatted once.
    const times = new Map<number, string>();
    for (const node of nodes) {
      if (node.removalTick === tick) yield metadata(tombstoneRecord(node.id, isoTime(tickMs)), ledger.metadata(node.index, true));
    }
    for (const node of nodes) {
      if (tick >= node.endTick) continue;
      const type = instanceTypeAt(node, tick);
      if (node.update?.tick === tick) {
        yield metadata(metadataRecord(node.id, type, node.zone, isoTime(tickMs)), ledger.metadata(node.index, false));
      }
      const eventTime = tickMs + node.scrapeOffsetMs;
      const state = loads[node.index] ?? initialLoadState();
      const load = nextLoad(state, { profile: node.profile, activity: activity(eventTime), burstChance, intervalMs: o.intervalMs }, values);
      if (load.burstStarted) ledger.burst();
      const at = times.get(eventTime) ?? isoTime(eventTime);
      times.set(eventTime, at);
      // Millicores, as the metrics API reports CPU; memory in whole KiB, as it reports memory.
      const cores = round(load.cpu * type.cores * 1000) / 1000;
      const bytes = round((load.memory * type.memoryBytes) / 1024) * 1024;
      const cpu = cpuRecord(node.id, cores, node.withoutCapacity ? null : type.cores, at, labels);
      const memory = memoryRecord(node.id, bytes, node.withoutCapacity ? null : type.memoryBytes, at, labels);
      yield* sample({ record: cpu, node: node.index, metric: metricIndex.cpu_usage, eventTime }, tick, node.endTick);
      yield* sample({ record: memory, node: node.index, metric: metricIndex.memory_usage, eventTime }, tick, node.endTick);
    }
    for (const h of held.get(tick) ?? []) yield valid(h, false);
    held.delete(tick);
    for (const node of nodes) {
      if (node.lateMetadataTick === tick) {
        const at = isoTime(tickMs + node.scrapeOffsetMs);
        yield metadata(metadataRecord(node.id, instanceTypeAt(node, tick), node.zone, at), ledger.metadata(node.index, false));
      }
    }
  }
}
