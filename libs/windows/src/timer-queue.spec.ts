import { TimerQueue } from './timer-queue';

describe('TimerQueue', () => {
  it('returns nothing before the earliest reminder is due', () => {
    const q = new TimerQueue();
    q.push(10, 'a');
    expect(q.popDue(9)).toEqual([]);
    expect(q.size).toBe(1);
  });

  it('returns every due reminder in time order, ties by key, and keeps the later ones', () => {
    const q = new TimerQueue();
    for (const [at, key] of [
      [30, 'c'],
      [10, 'b'],
      [20, 'z'],
      [10, 'a'],
      [40, 'd'],
      [20, 'y'],
    ] as const) {
      q.push(at, key);
    }
    expect(q.popDue(20)).toEqual(['a', 'b', 'y', 'z']);
    expect(q.popDue(35)).toEqual(['c']);
    expect(q.size).toBe(1);
  });

  it('keeps heap order over many random pushes', () => {
    const q = new TimerQueue();
    const ats: number[] = [];
    let seed = 7;
    for (let i = 0; i < 500; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const at = seed % 1000;
      ats.push(at);
      q.push(at, `k${i}`);
    }
    const popped: number[] = [];
    for (let w = 0; w < 1000; w += 37) popped.push(q.popDue(w).length);
    const expected: number[] = [];
    let previous = -1;
    for (let w = 0; w < 1000; w += 37) {
      expected.push(ats.filter((a) => a > previous && a <= w).length);
      previous = w;
    }
    expect(popped).toEqual(expected);
  });
});
