import { nodeMetricAggregator, nodeMetricKey, type NodeMetricSample } from './aggregators/node-metric-agg';
import { WindowEngine, type WindowEngineOptions } from './engine';
import type { PartitionChangelogState, StateChange } from './engine-state';
import type { KeyStateJson } from './key-state';
import { intBelow, seeded } from './test-support/random';
import { collect, engineFor, feed, lines, rec, type Rec } from './test-support/records';
import { run, scenario } from './test-support/scenario';
import { hopping, session, sliding, tumbling, type WindowSpec } from './window-spec';

/** A compacted changelog topic: the latest entry per key wins; a null state is a tombstone. */
class CompactedTopic<A> {
  readonly keys = new Map<string, KeyStateJson<A> | null>();
  readonly partitions = new Map<number, PartitionChangelogState>();

  append(changes: readonly StateChange<A>[]): void {
    // Through JSON, as the records would travel.
    for (const c of JSON.parse(JSON.stringify(changes)) as StateChange<A>[]) {
      if (c.scope === 'key') this.keys.set(c.key, c.state);
      else this.partitions.set(c.partition, c.state);
    }
  }

  restoreInto<R, O>(engine: WindowEngine<R, A, O>): void {
    for (const [partition, state] of this.partitions) engine.restorePartition(partition, state);
    for (const [key, state] of this.keys) if (state !== null) engine.restoreKey(key, state);
  }
}

const specs: [string, WindowSpec][] = [
  ['tumbling', tumbling({ sizeMs: 60, graceMs: 10, retentionMs: 50 })],
  ['hopping', hopping({ sizeMs: 60, advanceMs: 20, graceMs: 10, retentionMs: 40 })],
  ['sliding', sliding({ timeDifferenceMs: 30, graceMs: 10, retentionMs: 40 })],
  ['session', session({ gapMs: 15, graceMs: 5, retentionMs: 40 })],
];

function crashAndRestore<R, A, O>(
  options: WindowEngineOptions<R, A, O>,
  seed: number,
  record: (key: string, t: number, random: () => number) => R,
) {
  const steps = scenario(seed, { partitions: 3, steps: 400, record });
  const cut = intBelow(seeded(seed * 13), steps.length);
  const expected = run(new WindowEngine(options), steps);

  // The service drains after every batch (here: every call) and writes the changes with the batch's outputs.
  const topic = new CompactedTopic<A>();
  const crashed = new WindowEngine(options);
  for (const step of steps.slice(0, cut)) {
    run(crashed, [step]);
    topic.append(crashed.drainChanges());
  }
  const restored = new WindowEngine(options);
  topic.restoreInto(restored);
  return { actual: run(restored, steps.slice(cut)), expected: expected.slice(cut) };
}

describe('WindowEngine change feed (changelog)', () => {
  it('reports the partitions and keys that changed since the last drain, with their current state', () => {
    const engine = engineFor(tumbling({ sizeMs: 60 }));
    feed(engine, [rec('a', 10), rec('b', 10)], 0, 5);
    engine.drainChanges();
    feed(engine, [rec('a', 20)], 0, 7);
    expect(engine.drainChanges()).toEqual([
      { scope: 'partition', partition: 0, state: { maxEventTime: 20, lastActiveAt: 7, combinedWatermark: 20 } },
      {
        scope: 'key',
        key: 'a',
        partition: 0,
        state: {
          partition: 0,
          watermark: 20,
          windows: [{ start: 0, end: 60, acc: [[10, 'a10'], [20, 'a20']], revision: null, closed: false }],
          entries: [],
          carried: null,
        },
      },
    ]);
    expect(engine.drainChanges()).toEqual([]);
  });

  it('reports a key whose windows are all purged as a tombstone on its partition', () => {
    const engine = engineFor(tumbling({ sizeMs: 60 }));
    engine.add(2, rec('a', 10), 0);
    engine.drainChanges();
    expect(lines(engine.add(2, rec('z', 200), 0))).toEqual(['a 0..60 r0: a10']);
    expect(engine.drainChanges()).toContainEqual({ scope: 'key', key: 'a', partition: 2, state: null });
  });

  describe.each(specs)('%s windows', (_name, window) => {
    it('restored from the changelog at a random point, gives the same outputs as an uninterrupted run', () => {
      const options = {
        window,
        aggregator: collect,
        keyOf: (r: Rec) => r.key,
        eventTimeOf: (r: Rec) => r.t,
        allowedLatenessMs: 5,
        idleTimeoutMs: 60,
      };
      for (let seed = 1; seed <= 20; seed++) {
        let n = 0;
        const { actual, expected } = crashAndRestore(options, seed, (key, t) => rec(key, t, `${key}#${n++}`));
        expect({ seed, outputs: actual }).toEqual({ seed, outputs: expected });
      }
    });
  });

  it('restores running totals from the changelog', () => {
    const options = {
      window: tumbling({ sizeMs: 60, graceMs: 10, retentionMs: 50 }),
      aggregator: nodeMetricAggregator,
      keyOf: nodeMetricKey,
      eventTimeOf: (s: NodeMetricSample) => s.event_time,
      allowedLatenessMs: 5,
      idleTimeoutMs: 60,
    };
    for (let seed = 1; seed <= 20; seed++) {
      const { actual, expected } = crashAndRestore(options, seed, (key, t, random) => ({
        node_id: key,
        metric: 'cpu',
        unit: 'cores',
        value: random() * 8,
        utilisation: random() < 0.3 ? null : random(),
        event_time: t,
        missing_fields: random() < 0.3 ? ['capacity'] : [],
      }));
      expect({ seed, outputs: actual }).toEqual({ seed, outputs: expected });
    }
  });

  it('brings back a watermark that an idle partition had let move on past the slowest one', () => {
    const engine = engineFor(tumbling({ sizeMs: 60, retentionMs: 100 }), { idleTimeoutMs: 1000 });
    engine.assign([0, 1], 0);
    engine.add(1, rec('b', 10), 0);
    engine.add(0, rec('a', 20), 0);
    expect(lines(engine.add(0, rec('a', 130), 2000))).toEqual(['a 0..60 r0: a20', 'b 0..60 r0: b10']);
    const topic = new CompactedTopic<[number, string][]>();
    topic.append(engine.drainChanges());

    const restored = engineFor(tumbling({ sizeMs: 60, retentionMs: 100 }), { idleTimeoutMs: 1000 });
    topic.restoreInto(restored);
    // Partition 1 wakes up at event time 50: as without the restart, the watermark stays at 130 and b's window is
    // corrected at once.
    expect(lines(restored.add(1, rec('b', 50), 2100))).toEqual(['b 0..60 r1: b10 b50']);
    expect(restored.watermark).toBe(130);
  });

  describe('when partitions come from owners whose watermarks were behind (a rebalance)', () => {
    const start = (retentionMs: number) => {
      const topic = new CompactedTopic<[number, string][]>();
      const engine = engineFor(tumbling({ sizeMs: 60, retentionMs }), { idleTimeoutMs: 1000 });
      engine.assign([0, 1], 0);
      engine.add(1, rec('b', 10), 0);
      engine.add(0, rec('a', 20), 0);
      engine.add(0, rec('a', 130), 2000);
      topic.append(engine.drainChanges());
      // Partition 1's entry as another instance, whose watermark was still 10, last wrote it.
      const p1 = topic.partitions.get(1);
      if (p1 !== undefined) topic.partitions.set(1, { ...p1, combinedWatermark: 10 });
      const restored = engineFor(tumbling({ sizeMs: 60, retentionMs }), { idleTimeoutMs: 1000 });
      topic.restoreInto(restored);
      return restored;
    };

    it('does not reopen a purged window of a key it holds, though its own watermark is behind', () => {
      const restored = start(50);
      restored.add(1, rec('b', 50), 2100);
      expect(restored.watermark).toBe(50);
      // Key a remembers the watermark 130 at which its window [0, 60) was purged.
      const out = restored.add(0, rec('a', 30), 2100);
      expect(out.late.map((l) => l.windows)).toEqual([[{ start: 0, end: 60 }]]);
      expect(out.emitted).toEqual([]);
    });

    it('re-emits a corrected window as revision + 1 once the watermark is back at its end, never as new', () => {
      const restored = start(100);
      expect(lines(restored.add(1, rec('b', 50), 2100))).toEqual([]);
      expect(lines(restored.add(1, rec('b', 70), 2100))).toEqual(['b 0..60 r1: b10 b50']);
    });
  });
});
