import { createRng, xoshiro128StarStar } from './prng';

const draw = (n: number, f: () => number) => Array.from({ length: n }, f);

describe('xoshiro128StarStar', () => {
  it('reproduces the reference implementation for the state 1, 2, 3, 4', () => {
    // Printed by Blackman and Vigna's xoshiro128starstar.c with s = {1, 2, 3, 4}.
    const rng = xoshiro128StarStar([1, 2, 3, 4]);
    expect(draw(6, rng.next)).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('escapes the all-zero state instead of emitting zeros for ever', () => {
    const rng = xoshiro128StarStar([0, 0, 0, 0]);
    expect(draw(8, rng.next).some((x) => x !== 0)).toBe(true);
  });
});

describe('createRng', () => {
  it('repeats the same sequence for the same seed and stream', () => {
    const a = createRng(7, 'values');
    const b = createRng(7, 'values');
    expect(draw(100, a.next)).toEqual(draw(100, b.next));
  });

  it('gives different sequences for different seeds or stream names', () => {
    const base = draw(8, createRng(7, 'values').next);
    expect(draw(8, createRng(8, 'values').next)).not.toEqual(base);
    expect(draw(8, createRng(7, 'quirks').next)).not.toEqual(base);
  });

  it('draws floats in [0, 1) and integers in the requested ranges', () => {
    const rng = createRng(1, 'ranges');
    const floats = draw(10_000, rng.float);
    const ints = draw(10_000, () => rng.int(6));
    const between = draw(10_000, () => rng.intBetween(3, 5));
    expect(floats.every((f) => f >= 0 && f < 1)).toBe(true);
    expect(new Set(ints)).toEqual(new Set([0, 1, 2, 3, 4, 5]));
    expect(new Set(between)).toEqual(new Set([3, 4, 5]));
  });

  it('spreads integers evenly and gives normal draws a mean of 0 and a standard deviation of 1', () => {
    const rng = createRng(42, 'moments');
    const buckets = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) {
      const k = rng.int(4);
      buckets[k] = (buckets[k] ?? 0) + 1;
    }
    for (const b of buckets) expect(Math.abs(b - 10_000)).toBeLessThan(400);

    const xs = draw(50_000, rng.normal);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
  });
});
