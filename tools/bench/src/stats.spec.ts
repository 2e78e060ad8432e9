import { percentile, rate, summarize } from './stats';

describe('percentile', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('takes the nearest rank: the smallest value with p % of values at or below it', () => {
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([7, 9], 50)).toBe(7);
  });

  it('is NaN for no values rather than a made-up 0', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('summarize', () => {
  it('sorts a copy and reports count, mean, percentiles and max', () => {
    const values = [30, 10, 20, 40];
    expect(summarize(values)).toEqual({ count: 4, meanMs: 25, p50Ms: 20, p90Ms: 40, p99Ms: 40, maxMs: 40 });
    expect(values).toEqual([30, 10, 20, 40]);
  });
});

describe('rate', () => {
  it('turns records over milliseconds into whole records per second', () => {
    expect(rate(200_000, 8_000)).toBe(25_000);
    expect(rate(1, 3)).toBe(333);
  });
});
