import type { NodeMetricRaw } from '@meterline/schemas';
import { HoldBuffer } from './hold-buffer';

const sample = (node: string, t: number): NodeMetricRaw => ({
  node_id: node,
  metric: 'cpu_usage',
  value: t,
  capacity: null,
  unit: 'cores',
  event_time: t,
  source: 'generator',
  labels: {},
});

describe('HoldBuffer', () => {
  it('lets a node’s samples go, in order, as soon as its metadata is known', () => {
    const h = new HoldBuffer(30_000, 100);
    h.hold(sample('late', 1), 0);
    h.hold(sample('late', 2), 10);
    h.hold(sample('other', 3), 10);
    const { known, expired } = h.release((node) => node === 'late', 20);
    expect(known.map((r) => r.event_time)).toEqual([1, 2]);
    expect(expired).toEqual([]);
    expect(h.size).toBe(1);
  });

  it('lets samples go without metadata once they waited the timeout', () => {
    const h = new HoldBuffer(30_000, 100);
    h.hold(sample('n', 1), 0);
    h.hold(sample('n', 2), 20_000);
    expect(h.release(() => false, 29_999).expired).toEqual([]);
    expect(h.release(() => false, 30_000).expired.map((r) => r.event_time)).toEqual([1]);
    expect(h.release(() => false, 50_000).expired.map((r) => r.event_time)).toEqual([2]);
  });

  it('pushes the longest-waiting sample out when full instead of dropping anything', () => {
    const h = new HoldBuffer(30_000, 2);
    expect(h.hold(sample('a', 1), 0)).toEqual([]);
    expect(h.hold(sample('b', 2), 1)).toEqual([]);
    expect(h.hold(sample('c', 3), 2).map((r) => r.node_id)).toEqual(['a']);
    expect(h.size).toBe(2);
  });

  it('restores what it drained', () => {
    const h = new HoldBuffer(30_000, 10);
    h.hold(sample('a', 1), 5);
    const restored = new HoldBuffer(30_000, 10);
    for (const [node, held] of h.drainChanges()) restored.restore(node, held && JSON.parse(JSON.stringify(held)));
    expect(restored.size).toBe(1);
    expect(restored.release(() => true, 6).known.map((r) => r.event_time)).toEqual([1]);
  });
});
