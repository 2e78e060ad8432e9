import { lagSeconds, newestEventTime } from './lag';

describe('end-to-end lag', () => {
  it('is measured from the newest event time loaded, whatever order rows came in', () => {
    const rows = [{ t: 3_000 }, { t: 9_000 }, { t: 4_000 }];
    expect(newestEventTime(rows, (r) => r.t)).toBe(9_000);
    expect(lagSeconds(12_500, 9_000)).toBe(3.5);
  });

  it('ignores rows without a usable time and has no newest time for none', () => {
    expect(newestEventTime([{ t: Number.NaN }, { t: 7 }], (r) => r.t)).toBe(7);
    expect(newestEventTime([], () => 1)).toBeUndefined();
  });

  it('is never negative when an event time lies ahead of the clock', () => {
    expect(lagSeconds(1_000, 5_000)).toBe(0);
  });
});
