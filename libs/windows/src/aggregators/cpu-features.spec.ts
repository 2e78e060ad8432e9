import type { Aggregator } from '../aggregator';
import type { WindowResult } from '../emission';
import { WindowEngine } from '../engine';
import { intBelow, seeded } from '../test-support/random';
import { hopping } from '../window-spec';
import { cpuFeaturesAggregator, cpuFeaturesKey, cpuFeatureWindows, type CpuFeatures, type CpuSample } from './cpu-features';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T = Date.UTC(2024, 7, 27, 12, 0, 0);

const featureEngine = (retentionMs = 0, graceMs = 0) =>
  new WindowEngine({
    window: cpuFeatureWindows({ graceMs, retentionMs }),
    aggregator: cpuFeaturesAggregator,
    keyOf: cpuFeaturesKey,
    eventTimeOf: (s: CpuSample) => s.event_time,
  });

const cpu = (event_time: number, value: number, node_id = 'n1'): CpuSample => ({ node_id, cpu: value, event_time });

function feed(engine: ReturnType<typeof featureEngine>, samples: readonly CpuSample[]) {
  return samples.flatMap((s) => engine.add(0, s, 0).emitted).filter((e): e is WindowResult<CpuFeatures> => e.type === 'result');
}

const at = (emitted: readonly WindowResult<CpuFeatures>[], node: string, t: number) =>
  emitted.find((e) => e.key === node && e.window.end === t)?.result;

describe('cpuFeaturesAggregator on 2 h hopping windows', () => {
  it('counts a sample at exactly t in the features at t, and one at exactly t − 1h only in the 2 h ones', () => {
    const emitted = feed(featureEngine(), [
      cpu(T - 2 * HOUR, 99),
      cpu(T - 90 * MIN, 30),
      cpu(T - HOUR, 50),
      cpu(T, 10),
      cpu(T + 3 * HOUR, 0, 'clock'),
    ]);
    // At t: (t − 1h, t] = {10}; (t − 2h, t] = {30, 50, 10}; the sample at t − 2h is out.
    expect(at(emitted, 'n1', T)).toEqual({
      node_id: 'n1',
      window_end: T,
      cpu_max_1h: 10,
      cpu_avg_1h: 10,
      cpu_max_2h: 50,
      cpu_avg_2h: 30,
      cpu_max_ratio_1h_2h: 0.2,
      cpu_avg_ratio_1h_2h: 10 / 30,
    });
    // At t − 1h: (t − 2h, t − 1h] = {30, 50}; (t − 3h, t − 1h] = {99, 30, 50}.
    expect(at(emitted, 'n1', T - HOUR)).toMatchObject({ cpu_max_1h: 50, cpu_avg_1h: 40, cpu_max_2h: 99 });
    expect(at(emitted, 'n1', T - HOUR)?.cpu_avg_2h).toBeCloseTo(179 / 3, 12);
  });

  it('gives null ratios when the 2 h denominator is 0, and null 1 h features when the last hour had no sample', () => {
    const emitted = feed(featureEngine(), [cpu(T - 90 * MIN, 0), cpu(T - 30 * MIN, 0), cpu(T + 3 * HOUR, 0, 'clock')]);
    expect(at(emitted, 'n1', T)).toMatchObject({ cpu_max_2h: 0, cpu_max_ratio_1h_2h: null, cpu_avg_ratio_1h_2h: null });
    expect(at(emitted, 'n1', T + 30 * MIN)).toMatchObject({
      cpu_max_1h: null,
      cpu_avg_1h: null,
      cpu_max_2h: 0,
      cpu_max_ratio_1h_2h: null,
    });
  });

  it('emits nothing for a node at an end t without samples in (t − 2h, t]', () => {
    const emitted = feed(featureEngine(), [cpu(T, 5), cpu(T + 5 * HOUR, 0, 'clock')]);
    expect(emitted.filter((e) => e.key === 'n1').map((e) => (e.window.end - T) / MIN)).toEqual([
      0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110,
    ]);
  });

  it('re-emits every closed window a late sample falls in with revision + 1', () => {
    const engine = featureEngine(3 * HOUR);
    const first = feed(engine, [cpu(T + 5 * MIN, 10), cpu(T + 2 * HOUR + 1, 0, 'clock')]);
    expect(first.filter((e) => e.key === 'n1')).toHaveLength(12);
    const corrected = feed(engine, [cpu(T + 5 * MIN, 20)]);
    expect(corrected).toHaveLength(12);
    expect(corrected.every((e) => e.revision === 1 && e.result.cpu_max_2h === 20 && e.result.cpu_avg_2h === 15)).toBe(true);
  });
});

/** Max, sum and count of the samples in a window: a plain aggregator, to show a 1 h hopping window gives the 1 h features. */
type Stats = { max: number | null; sum: number; count: number };
const stats: Aggregator<CpuSample, Stats, { max: number | null; avg: number | null }> = {
  init: () => ({ max: null, sum: 0, count: 0 }),
  add: (a, s) => ({ max: a.max === null ? s.cpu : Math.max(a.max, s.cpu), sum: a.sum + s.cpu, count: a.count + 1 }),
  result: (a) => ({ max: a.max, avg: a.count === 0 ? null : a.sum / a.count }),
};

describe('cpu features against a brute-force computation over the raw samples', () => {
  function randomSamples(seed: number): CpuSample[] {
    const random = seeded(seed);
    const samples: CpuSample[] = [];
    for (let i = 0; i < 400; i++) {
      // A third of the samples sit exactly on the 10-minute grid, where the interval ends matter.
      const t = random() < 0.33 ? T + intBelow(random, 60) * 10 * MIN : T + intBelow(random, 10 * HOUR);
      samples.push(cpu(t, intBelow(random, 4) === 0 ? 0 : random() * 100, `n${intBelow(random, 3)}`));
    }
    // Arrival order: by time, each delayed by up to 5 min, inside the 10-min grace.
    return samples
      .map((s) => ({ s, arrival: s.event_time + intBelow(random, 5 * MIN) }))
      .sort((a, b) => a.arrival - b.arrival)
      .map(({ s }) => s);
  }

  function bruteForce(samples: readonly CpuSample[], node: string, t: number) {
    const mine = samples.filter((s) => s.node_id === node);
    const over = (h: number) => mine.filter((s) => s.event_time > t - h * HOUR && s.event_time <= t).map((s) => s.cpu);
    const max = (xs: number[]) => (xs.length === 0 ? null : Math.max(...xs));
    const avg = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
    return { max1: max(over(1)), avg1: avg(over(1)), max2: max(over(2)), avg2: avg(over(2)) };
  }

  const expectClose = (actual: number | null | undefined, expected: number | null) =>
    expected === null ? expect(actual).toBeNull() : expect(actual).toBeCloseTo(expected, 9);

  it('matches at every 10-minute end, for the 2 h feature windows and for plain 1 h hopping windows', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const samples = randomSamples(seed);
      const features = featureEngine(0, 10 * MIN);
      const oneHour = new WindowEngine({
        window: hopping({ sizeMs: HOUR, advanceMs: 10 * MIN, closed: 'right', graceMs: 10 * MIN }),
        aggregator: stats,
        keyOf: cpuFeaturesKey,
        eventTimeOf: (s: CpuSample) => s.event_time,
      });
      const end = cpu(T + 100 * HOUR, 0, 'clock');
      const vectors = [...samples, end].flatMap((s) => features.add(0, s, 0).emitted);
      const hourly = [...samples, end].flatMap((s) => oneHour.add(0, s, 0).emitted);

      for (const node of ['n0', 'n1', 'n2']) {
        for (let t = T; t <= T + 12 * HOUR; t += 10 * MIN) {
          const want = bruteForce(samples, node, t);
          const got = vectors.find((e) => e.key === node && e.window.end === t);
          const gotHour = hourly.find((e) => e.key === node && e.window.end === t);
          expect({ seed, node, t, present: got !== undefined }).toEqual({ seed, node, t, present: want.max2 !== null });
          expect({ seed, node, t, present: gotHour !== undefined }).toEqual({ seed, node, t, present: want.max1 !== null });
          if (got?.type === 'result') {
            expect(got.revision).toBe(0);
            expect(got.result.cpu_max_1h).toBe(want.max1);
            expect(got.result.cpu_max_2h).toBe(want.max2);
            expectClose(got.result.cpu_avg_1h, want.avg1);
            expectClose(got.result.cpu_avg_2h, want.avg2);
            const maxRatio = want.max1 === null || want.max2 === null || want.max2 === 0 ? null : want.max1 / want.max2;
            const avgRatio = want.avg1 === null || want.avg2 === null || want.avg2 === 0 ? null : want.avg1 / want.avg2;
            expectClose(got.result.cpu_max_ratio_1h_2h, maxRatio);
            expectClose(got.result.cpu_avg_ratio_1h_2h, avgRatio);
          }
          if (gotHour?.type === 'result') {
            expect(gotHour.result.max).toBe(want.max1);
            expectClose(gotHour.result.avg, want.avg1);
          }
        }
      }
    }
  });
});
