import { instanceTypeAt, buildNodes } from './node-table';
import { resolveGeneratorOptions } from './options';

describe('buildNodes', () => {
  const options = resolveGeneratorOptions({
    nodes: 200,
    removedNodes: 3,
    metadataUpdates: 5,
    rates: { lateMetadataNodes: 0.05, nodesWithoutCapacity: 0.1 },
  });
  const nodes = buildNodes(options);

  it('names every node uniquely and spreads them evenly over three zones', () => {
    expect(new Set(nodes.map((n) => n.id)).size).toBe(200);
    const perZone = nodes.reduce<Record<string, number>>((acc, n) => ({ ...acc, [n.zone]: (acc[n.zone] ?? 0) + 1 }), {});
    expect(Object.values(perZone).sort()).toEqual([66, 67, 67]);
  });

  it('deals each role to exactly the requested number of nodes, never two roles to one node', () => {
    const removed = nodes.filter((n) => n.removalTick !== null);
    const updated = nodes.filter((n) => n.update !== null);
    const late = nodes.filter((n) => n.lateMetadataTick !== null);
    expect([removed.length, updated.length, late.length]).toEqual([3, 5, 10]);
    expect(new Set([...removed, ...updated, ...late]).size).toBe(18);
    expect(nodes.filter((n) => n.withoutCapacity)).toHaveLength(20);
  });

  it('removes and updates nodes mid-stream, and changes an updated node to another instance type', () => {
    for (const n of nodes) {
      if (n.removalTick !== null) expect(n.removalTick).toBeGreaterThanOrEqual(options.ticks / 2);
      if (n.update) {
        expect(n.update.instanceType).not.toBe(n.instanceType);
        expect(instanceTypeAt(n, n.update.tick - 1)).toBe(n.instanceType);
        expect(instanceTypeAt(n, n.update.tick)).toBe(n.update.instanceType);
      }
    }
  });

  it('scrapes a quarter of the nodes exactly on the interval grid and the rest at whole seconds within it', () => {
    expect(nodes.filter((n) => n.index % 4 === 0).every((n) => n.scrapeOffsetMs === 0)).toBe(true);
    expect(nodes.every((n) => n.scrapeOffsetMs % 1000 === 0 && n.scrapeOffsetMs < options.intervalMs)).toBe(true);
  });

  it('builds the same cluster for the same seed', () => {
    expect(buildNodes(options)).toEqual(nodes);
    expect(buildNodes({ ...options, seed: 8 })).not.toEqual(nodes);
  });
});
