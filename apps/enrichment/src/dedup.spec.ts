import { Deduplicator } from './dedup';

describe('Deduplicator', () => {
  it('reports the second sample with the same node, metric and event time as a repeat', () => {
    const d = new Deduplicator(60_000);
    expect(d.isRepeat('n1', 'cpu', 1_000)).toBe(false);
    expect(d.isRepeat('n1', 'cpu', 1_000)).toBe(true);
    expect(d.isRepeat('n1', 'mem', 1_000)).toBe(false);
    expect(d.isRepeat('n2', 'cpu', 1_000)).toBe(false);
    expect(d.isRepeat('n1', 'cpu', 2_000)).toBe(false);
  });

  it('forgets pairs older than the horizon behind the node’s newest sample, so its state stays bounded', () => {
    const d = new Deduplicator(10_000);
    for (let t = 0; t <= 100_000; t += 1_000) d.isRepeat('n1', 'cpu', t);
    // Kept: 90 000 … 100 000, eleven pairs.
    expect(d.size).toBe(11);
  });

  it('restores from what it drained to identical answers', () => {
    const d = new Deduplicator(60_000);
    d.isRepeat('n1', 'cpu', 1_000);
    d.isRepeat('n2', 'cpu', 2_000);
    const restored = new Deduplicator(60_000);
    for (const [node, state] of d.drainChanges()) restored.restore(node, JSON.parse(JSON.stringify(state)));
    expect(restored.isRepeat('n1', 'cpu', 1_000)).toBe(true);
    expect(restored.isRepeat('n2', 'cpu', 2_000)).toBe(true);
    expect(restored.isRepeat('n2', 'cpu', 3_000)).toBe(false);
    expect(d.drainChanges()).toEqual([]);
  });
});
