import { Ledger } from './ledger';
import { buildNodes } from './node-table';
import { resolveGeneratorOptions } from './options';

const MINUTE = 60_000;

function ledger() {
  const options = resolveGeneratorOptions({
    nodes: 2,
    metadataUpdates: 0,
    removedNodes: 0,
    rates: { lateMetadataNodes: 0, nodesWithoutCapacity: 0 },
  });
  const l = new Ledger(options, buildNodes(options));
  l.metadata(0, false);
  l.metadata(1, false);
  return l;
}

describe('Ledger', () => {
  it('counts a sample behind newer ones of its series, but within the lateness, as out of order', () => {
    const l = ledger();
    l.sample(0, 0, 10 * MINUTE, true, false);
    l.sample(0, 0, 5 * MINUTE, true, false);
    l.sample(0, 1, 5 * MINUTE, true, false); // another series: in order for its own series
    expect(l.manifest().metrics).toMatchObject({ outOfOrder: 1, late: 0 });
  });

  it('counts a sample more than the lateness behind the newest event time of any node as late, and only as late', () => {
    const l = ledger();
    l.sample(1, 0, 30 * MINUTE, true, false);
    l.sample(0, 0, 19 * MINUTE, true, false);
    l.sample(0, 0, 20 * MINUTE, true, false); // exactly the lateness behind: still in time
    expect(l.manifest().metrics).toMatchObject({ outOfOrder: 0, late: 1 });
  });

  it('counts samples before their node first has metadata, and updates and removals after it', () => {
    const options = resolveGeneratorOptions({ nodes: 2, metadataUpdates: 0, removedNodes: 0 });
    const nodes = buildNodes(options);
    const l = new Ledger(options, nodes);
    l.sample(1, 0, 0, false, false);
    l.sample(1, 1, 0, false, false);
    l.metadata(1, false);
    l.metadata(1, false);
    l.metadata(1, true);
    const m = l.manifest();
    expect(m.metrics.beforeMetadata).toBe(2);
    expect(m.metadata).toEqual({ initial: 1, updates: 1, removals: 1 });
    const only = [nodes[1]?.id];
    expect(m.nodeIds).toEqual({ withoutCapacity: only, lateMetadata: only, updated: only, removed: only });
  });

  it('numbers metric and metadata lines separately, as their files do', () => {
    const l = ledger();
    expect(l.sample(0, 0, 0, true, false)).toBe(1);
    expect(l.invalidRecord('nanValue')).toBe(2);
    expect(l.metadata(0, true)).toBe(3); // after the two in ledger()
    expect(l.manifest().records).toEqual({ metric: 2, metadata: 3 });
  });
});
