import { nodeMetricAggregator, nodeMetricKey, type NodeMetricSample } from './aggregators/node-metric-agg';
import { WindowEngine, type WindowEngineOptions } from './engine';
import type { EngineSnapshot } from './engine-state';
import { intBelow, seeded } from './test-support/random';
import { collect, rec, type Rec } from './test-support/records';
import { run, scenario } from './test-support/scenario';
import { hopping, session, sliding, tumbling, type WindowSpec } from './window-spec';

const specs: [string, WindowSpec][] = [
  ['tumbling', tumbling({ sizeMs: 60, graceMs: 10, retentionMs: 50 })],
  ['hopping', hopping({ sizeMs: 60, advanceMs: 20, graceMs: 10, retentionMs: 40 })],
  ['right-closed hopping', hopping({ sizeMs: 60, advanceMs: 20, closed: 'right', retentionMs: 40 })],
  ['sliding', sliding({ timeDifferenceMs: 30, graceMs: 10, retentionMs: 40 })],
  ['session', session({ gapMs: 15, graceMs: 5, retentionMs: 40 })],
];

const recOptions = (window: WindowSpec, extra: Partial<WindowEngineOptions<Rec, [number, string][], string[]>> = {}) => ({
  window,
  aggregator: collect,
  keyOf: (r: Rec) => r.key,
  eventTimeOf: (r: Rec) => r.t,
  allowedLatenessMs: 5,
  idleTimeoutMs: 60,
  ...extra,
});

function recScenario(seed: number) {
  let n = 0;
  return scenario<Rec>(seed, { partitions: 3, steps: 400, record: (key, t) => rec(key, t, `${key}#${n++}`) });
}

/** The snapshot as it would come back from disk or a topic. */
const throughJson = <A>(s: EngineSnapshot<A>): EngineSnapshot<A> => JSON.parse(JSON.stringify(s)) as EngineSnapshot<A>;

describe('WindowEngine snapshot and restore', () => {
  describe.each(specs)('%s windows', (_name, window) => {
    it('gives the same outputs after a restore at a random point as an uninterrupted run', () => {
      for (let seed = 1; seed <= 25; seed++) {
        const steps = recScenario(seed);
        const cut = intBelow(seeded(seed * 31), steps.length);
        const uninterrupted = new WindowEngine(recOptions(window));
        const expected = run(uninterrupted, steps);

        const first = new WindowEngine(recOptions(window));
        run(first, steps.slice(0, cut));
        const second = WindowEngine.fromSnapshot(recOptions(window), throughJson(first.snapshot()));
        const actual = run(second, steps.slice(cut));

        expect({ seed, outputs: actual }).toEqual({ seed, outputs: expected.slice(cut) });
        expect(second.snapshot()).toEqual(uninterrupted.snapshot());
        expect(second.stats()).toEqual(uninterrupted.stats());
      }
    });
  });

  it('keeps running totals exact across a restore', () => {
    const options = {
      window: tumbling({ sizeMs: 60, graceMs: 10, retentionMs: 50 }),
      aggregator: nodeMetricAggregator,
      keyOf: nodeMetricKey,
      eventTimeOf: (s: NodeMetricSample) => s.event_time,
      allowedLatenessMs: 5,
      idleTimeoutMs: 60,
    };
    const sample = (key: string, t: number, random: () => number): NodeMetricSample => ({
      node_id: key,
      metric: 'cpu',
      unit: 'cores',
      value: random() * 8,
      utilisation: random() < 0.3 ? null : random(),
      event_time: t,
      missing_fields: random() < 0.3 ? ['capacity'] : random() < 0.1 ? ['metadata', 'capacity'] : [],
    });
    for (let seed = 1; seed <= 25; seed++) {
      const steps = scenario(seed, { partitions: 3, steps: 400, record: sample });
      const cut = intBelow(seeded(seed * 17), steps.length);
      const expected = run(new WindowEngine(options), steps);
      const first = new WindowEngine(options);
      run(first, steps.slice(0, cut));
      const second = WindowEngine.fromSnapshot(options, throughJson(first.snapshot()));
      expect({ seed, outputs: run(second, steps.slice(cut)) }).toEqual({ seed, outputs: expected.slice(cut) });
    }
  });

  it('produces late records and revisions in these scenarios, so the comparison covers them', () => {
    const engine = new WindowEngine(recOptions(specs[0]?.[1] ?? tumbling({ sizeMs: 60 })));
    const outputs = run(engine, recScenario(3));
    expect(outputs.some((o) => o.late.length > 0)).toBe(true);
    expect(outputs.some((o) => o.emitted.some((e) => e.revision > 0))).toBe(true);
    expect(engine.stats().lateUpdates).toBeGreaterThan(0);
  });

  it('refuses a snapshot taken with another window spec', () => {
    const engine = new WindowEngine(recOptions(tumbling({ sizeMs: 60 })));
    engine.add(0, rec('a', 1), 0);
    const other = new WindowEngine(recOptions(tumbling({ sizeMs: 30 })));
    expect(() => other.restore(engine.snapshot())).toThrow(expect.objectContaining({ code: 'WINDOW_STATE_INCOMPATIBLE' }));
  });

  it('refuses to restore over live state', () => {
    const engine = new WindowEngine(recOptions(tumbling({ sizeMs: 60 })));
    engine.add(0, rec('a', 1), 0);
    expect(() => engine.restore(engine.snapshot())).toThrow(expect.objectContaining({ code: 'WINDOW_STATE_NOT_EMPTY' }));
  });
});
