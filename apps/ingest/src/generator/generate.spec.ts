import { createHash } from 'node:crypto';
import { RejectReason, validateMetric } from '../validate';
import { instanceTypeNamed } from './catalog';
import { generate, type GeneratedRecord } from './generate';
import type { Manifest } from './manifest';
import type { GeneratorOverrides } from './options';
import { recount } from './test-support/recount';

function collect(options: GeneratorOverrides = {}): { records: GeneratedRecord[]; manifest: Manifest } {
  const run = generate(options);
  const records = [...run];
  return { records, manifest: run.manifest() };
}

const sorted = (xs: readonly string[]) => [...xs].sort();
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const HOUR = 3_600_000;

/** A day of a mid-sized cluster with every sample quirk four times as frequent as by default, to measure rates. */
const day: GeneratorOverrides = {
  seed: 2024,
  nodes: 30,
  start: '2024-08-26T00:00:00Z',
  durationMs: 24 * HOUR,
  metadataUpdates: 3,
  removedNodes: 2,
  rates: { nodesWithoutCapacity: 0.2, lateMetadataNodes: 0.1, duplicates: 0.02, outOfOrder: 0.02, late: 0.004, invalid: 0.004 },
};

describe('generate', () => {
  describe('with the default options', () => {
    const { records, manifest } = collect();
    const counted = recount(records, manifest.options.allowedLatenessMs);

    it('emits exactly the counts its manifest states, recounted from the records alone', () => {
      expect(counted.counts).toEqual({
        metric: manifest.records.metric,
        metadata: manifest.records.metadata,
        valid: manifest.metrics.valid,
        duplicates: manifest.metrics.duplicates,
        outOfOrder: manifest.metrics.outOfOrder,
        late: manifest.metrics.late,
        beforeMetadata: manifest.metrics.beforeMetadata,
        initial: manifest.metadata.initial,
        updates: manifest.metadata.updates,
        removals: manifest.metadata.removals,
      });
      expect(counted.nodesWithoutCapacity).toEqual(sorted(manifest.nodeIds.withoutCapacity));
      expect(counted.lateMetadataNodes).toEqual(sorted(manifest.nodeIds.lateMetadata));
      expect(counted.updatedNodes).toEqual(sorted(manifest.nodeIds.updated));
      expect(counted.removedNodes).toEqual(sorted(manifest.nodeIds.removed));
    });

    it('emits invalid records that validation rejects with the reason the manifest gives them', () => {
      const { invalid } = manifest.metrics;
      const expected = {
        [RejectReason.negative]: invalid.negativeValue,
        [RejectReason.notFinite]: invalid.nanValue,
        [RejectReason.missingField]: invalid.missingNodeId,
        [RejectReason.badTimestamp]: invalid.badEventTime,
      };
      expect(counted.rejectedByCode).toEqual(Object.fromEntries(Object.entries(expected).filter(([, n]) => n > 0)));
      expect(manifest.records.metric).toBe(manifest.metrics.valid + Object.values(invalid).reduce((a, b) => a + b, 0));
    });

    it('shows every quirk at least once in the demo dataset', () => {
      expect(manifest.nodes).toMatchObject({ total: 20, withoutCapacity: 2, lateMetadata: 2, updated: 2, removed: 1 });
      expect(manifest.metrics.duplicates).toBeGreaterThan(0);
      expect(manifest.metrics.outOfOrder).toBeGreaterThan(0);
      expect(manifest.metrics.late).toBeGreaterThan(0);
      expect(Object.values(manifest.metrics.invalid).every((n) => n > 0)).toBe(true);
    });

    it('gives each candidate its text as the JSON of its fields and its line in its file', () => {
      const lines = { metric: 0, metadata: 0 };
      const mismatched = records.filter(({ kind, candidate }) => {
        lines[kind]++;
        const file = kind === 'metric' ? 'metrics.ndjson' : 'metadata.ndjson';
        const position = candidate.position;
        return (
          JSON.stringify(JSON.parse(candidate.original)) !== JSON.stringify(candidate.fields) ||
          position['seed'] !== '7' || position['file'] !== file || position['line'] !== String(lines[kind])
        );
      });
      expect(mismatched).toEqual([]);
      expect(lines).toEqual(manifest.records);
    });

    it('writes every sample in the documented shape', () => {
      const first = records.find((r) => r.kind === 'metric');
      const fields = first?.candidate.fields ?? {};
      expect(Object.keys(fields)).toEqual(['node_id', 'metric', 'value', 'capacity', 'unit', 'event_time', 'labels']);
      expect(fields).toMatchObject({ unit: 'cores', event_time: '2024-08-26T06:00:00.000Z', labels: { cluster: 'meterline-demo' } });
    });
  });

  describe('over a day', () => {
    const { records, manifest } = collect(day);
    const counted = recount(records, manifest.options.allowedLatenessMs);
    const latestType = (nodeId: string, eventTime: number) => {
      const history = counted.metadataHistory.get(nodeId) ?? [];
      // Metadata that arrived late describes the node from the start; updates apply from their time on.
      const inEffect = history.filter((h, i) => i === 0 || h.updatedAt <= eventTime).at(-1);
      const type = inEffect?.instanceType ? instanceTypeNamed(inEffect.instanceType) : undefined;
      if (!type) throw new Error(`no instance type for ${nodeId} at ${eventTime}`);
      return type;
    };

    it('agrees with its own manifest here too', () => {
      expect(counted.counts.duplicates).toBe(manifest.metrics.duplicates);
      expect(counted.counts.outOfOrder).toBe(manifest.metrics.outOfOrder);
      expect(counted.counts.late).toBe(manifest.metrics.late);
      expect(counted.counts.valid).toBe(manifest.metrics.valid);
      expect(counted.lateMetadataNodes).toEqual(sorted(manifest.nodeIds.lateMetadata));
    });

    it('keeps every valid sample within the physical size of its node', () => {
      const outside = counted.samples.filter(({ raw }) => {
        const type = latestType(raw.node_id, raw.event_time);
        const size = raw.metric === 'cpu_usage' ? type.cores : type.memoryBytes;
        return raw.value < 0 || raw.value > size || (raw.capacity !== null && raw.capacity !== size);
      });
      expect(outside).toEqual([]);
    });

    it('reports CPU in millicores and memory in whole KiB', () => {
      const odd = counted.samples.filter(({ raw }) =>
        raw.metric === 'cpu_usage' ? Math.round(raw.value * 1000) / 1000 !== raw.value : raw.value % 1024 !== 0,
      );
      expect(odd).toEqual([]);
    });

    it('leaves the capacity out for whole nodes, never for single samples', () => {
      expect(counted.nodesWithoutCapacity).toHaveLength(6);
      expect(counted.nodesWithMixedCapacity).toEqual([]);
    });

    it('shows a daily cycle: CPU utilisation in business hours well above the night', () => {
      const utilisation = (from: number, to: number) =>
        mean(
          counted.samples
            .filter(({ raw }) => raw.metric === 'cpu_usage' && raw.capacity !== null)
            .filter(({ raw }) => {
              const hour = new Date(raw.event_time).getUTCHours();
              return from <= to ? hour >= from && hour < to : hour >= from || hour < to;
            })
            .map(({ raw }) => raw.value / (raw.capacity ?? 1)),
        );
      const business = utilisation(10, 16);
      const night = utilisation(21, 6);
      expect(business).toBeGreaterThan(2 * night);
      expect(business).toBeLessThan(1);
      expect(night).toBeGreaterThan(0);
    });

    it('produces each sample quirk at about its requested rate', () => {
      const samples = 30 * 24 * 60 * 2; // nodes × instants × metrics, less the removed nodes' missing tail
      const near = (count: number, rate: number) => expect(Math.abs(count / (rate * samples) - 1)).toBeLessThan(0.25);
      near(manifest.metrics.duplicates, 0.02);
      near(manifest.metrics.outOfOrder, 0.02);
      near(manifest.metrics.late, 0.004);
      near(Object.values(manifest.metrics.invalid).reduce((a, b) => a + b, 0), 0.004);
    });

    it('holds out-of-order samples within the allowed lateness and sends late ones beyond it, by at most three times', () => {
      const lateness = manifest.options.allowedLatenessMs;
      const behind = counted.samples.filter((s) => s.lateness > 0);
      const late = behind.filter((s) => s.lateness > lateness);
      expect(late).toHaveLength(manifest.metrics.late);
      expect(Math.max(...late.map((s) => s.lateness))).toBeLessThan(3 * lateness);
    });

    it('emits nothing for a removed node after its tombstone', () => {
      expect(counted.removedNodes).toHaveLength(2);
      for (const nodeId of counted.removedNodes) {
        const at = counted.removedAt.get(nodeId) ?? 0;
        expect(counted.samples.filter((s) => s.raw.node_id === nodeId && s.order > at)).toEqual([]);
        expect(counted.samples.some((s) => s.raw.node_id === nodeId)).toBe(true);
      }
    });

    it('changes the instance type of updated nodes, and their capacity with it', () => {
      expect(counted.updatedNodes).toHaveLength(3);
      for (const nodeId of counted.updatedNodes) {
        const [before, after] = counted.metadataHistory.get(nodeId) ?? [];
        expect(after?.instanceType).not.toBe(before?.instanceType);
        const memory = counted.samples.filter((s) => s.raw.node_id === nodeId && s.raw.metric === 'memory_usage');
        const capacities = new Set(memory.map((s) => s.raw.capacity));
        // Either both sizes appear, or the node reports no capacity at all.
        expect(capacities.size === 2 || capacities.has(null)).toBe(true);
      }
    });

    it('sends metrics of late-metadata nodes before their metadata, and metadata of all others first', () => {
      expect(counted.lateMetadataNodes).toHaveLength(3);
      const firstMetric = counted.samples[0]?.order ?? 0;
      for (const [nodeId, [first]] of counted.metadataHistory) {
        if (!counted.lateMetadataNodes.includes(nodeId)) expect(first?.order).toBeLessThan(firstMetric);
      }
    });
  });

  it('repeats byte for byte for the same seed and differs for another seed', () => {
    const digest = (options: GeneratorOverrides) => {
      const hash = createHash('sha256');
      for (const r of generate(options)) hash.update(`${r.kind}\t${r.candidate.original}\n`);
      return hash.digest('hex');
    };
    const small = { nodes: 6, durationMs: 2 * HOUR, metadataUpdates: 1 };
    expect(digest({ ...small, seed: 11 })).toBe(digest({ ...small, seed: 11 }));
    expect(digest({ ...small, seed: 12 })).not.toBe(digest({ ...small, seed: 11 }));
  });

  it('keeps the measured values when only the quirk rates change', () => {
    const valuesOf = (options: GeneratorOverrides) => {
      const values = new Map<string, number>();
      for (const r of generate(options)) {
        const outcome = r.kind === 'metric' ? validateMetric(r.candidate.fields, 'generator') : undefined;
        const raw = outcome?.kind === 'ok' ? outcome.values[0] : undefined;
        if (raw) values.set(`${raw.node_id}|${raw.metric}|${raw.event_time}`, raw.value);
      }
      return values;
    };
    const small = { nodes: 6, durationMs: 2 * HOUR };
    const plain = valuesOf({ ...small, rates: { duplicates: 0, outOfOrder: 0, late: 0, invalid: 0 } });
    const quirky = valuesOf({ ...small, rates: { duplicates: 0.1, outOfOrder: 0.1, late: 0.05, invalid: 0.05 } });
    expect(plain.size).toBeGreaterThan(6 * 120); // six nodes, two metrics, 120 instants, less a removed node's tail
    expect(quirky).toEqual(plain);
  });

  it('withholds the manifest until every record has been read', () => {
    const run = generate({ nodes: 2, durationMs: 10 * 60_000, metadataUpdates: 0, removedNodes: 0 });
    const iterator = run[Symbol.iterator]();
    iterator.next();
    expect(() => run.manifest()).toThrow('only after every record has been read');
    for (let r = iterator.next(); !r.done; r = iterator.next());
    expect(run.manifest().nodes.total).toBe(2);
  });
});
