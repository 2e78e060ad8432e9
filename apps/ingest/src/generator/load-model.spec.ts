import { initialLoadState, nextLoad, type LoadStep } from './load-model';
import { createRng } from './prng';

const step = (overrides: Partial<LoadStep> = {}): LoadStep => ({
  profile: { cpuIdle: 0.1, cpuPeak: 0.6, memoryBase: 0.4, memorySwing: 0.2 },
  activity: 0,
  burstChance: 0,
  intervalMs: 60_000,
  ...overrides,
});

function run(n: number, s: LoadStep, seed = 1) {
  const rng = createRng(seed, 'load');
  const state = initialLoadState();
  return Array.from({ length: n }, () => nextLoad(state, s, rng));
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('nextLoad', () => {
  it('centres CPU on the idle level at no activity and on the peak level at full activity', () => {
    expect(mean(run(5000, step({ activity: 0 })).map((l) => l.cpu))).toBeCloseTo(0.1, 1);
    expect(mean(run(5000, step({ activity: 1 })).map((l) => l.cpu))).toBeCloseTo(0.6, 1);
  });

  it('keeps utilisation within physical bounds even when bursts pile onto peak load', () => {
    const profile = { cpuIdle: 0.1, cpuPeak: 0.9, memoryBase: 0.7, memorySwing: 0.2 };
    const loads = run(5000, step({ activity: 1, burstChance: 0.2, profile }));
    expect(loads.every((l) => l.cpu > 0 && l.cpu <= 1 && l.memory > 0 && l.memory <= 0.95)).toBe(true);
    expect(loads.some((l) => l.cpu === 1)).toBe(true);
  });

  it('starts bursts at about the requested chance and never one inside another', () => {
    const loads = run(20_000, step({ burstChance: 0.01 }));
    const started = loads.filter((l) => l.burstStarted).length;
    // A burst lasts 5–30 samples at 60 s, so the node is free for a new one about 85 % of the time.
    expect(started).toBeGreaterThan(120);
    expect(started).toBeLessThan(200);
    const busy = loads.map((l) => l.cpu > 0.3);
    expect(busy.filter(Boolean).length).toBeGreaterThan(started * 5 * 0.9);
  });

  it('moves in small steps between samples outside bursts', () => {
    const cpu = run(2000, step({ activity: 0.5 })).map((l) => l.cpu);
    const jumps = cpu.slice(1).map((c, i) => Math.abs(c - (cpu[i] ?? c)));
    expect(Math.max(...jumps)).toBeLessThan(0.2);
  });
});
