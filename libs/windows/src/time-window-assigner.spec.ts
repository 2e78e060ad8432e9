import { timeWindowsFor } from './time-window-assigner';
import { hopping, tumbling } from './window-spec';

const MIN = 60_000;

describe('timeWindowsFor', () => {
  it('puts a record in exactly one epoch-aligned tumbling window, the boundary instant in the next one', () => {
    const spec = tumbling({ sizeMs: MIN });
    expect(timeWindowsFor(spec, 0)).toEqual([{ start: 0, end: MIN }]);
    expect(timeWindowsFor(spec, MIN - 1)).toEqual([{ start: 0, end: MIN }]);
    expect(timeWindowsFor(spec, MIN)).toEqual([{ start: MIN, end: 2 * MIN }]);
    expect(timeWindowsFor(spec, 90_000)).toEqual([{ start: MIN, end: 2 * MIN }]);
  });

  it('aligns windows before the epoch the same way', () => {
    const spec = tumbling({ sizeMs: MIN });
    expect(timeWindowsFor(spec, -1)).toEqual([{ start: -MIN, end: 0 }]);
    expect(timeWindowsFor(spec, -MIN)).toEqual([{ start: -MIN, end: 0 }]);
  });

  it('puts a record in size/advance hopping windows ending on the advance grid', () => {
    const spec = hopping({ sizeMs: 60 * MIN, advanceMs: 10 * MIN });
    // 12:34 belongs to the hours starting 11:40, 11:50, 12:00, 12:10, 12:20 and 12:30.
    const t = (12 * 60 + 34) * MIN;
    const starts = timeWindowsFor(spec, t).map((w) => w.start / MIN);
    expect(starts).toEqual([11 * 60 + 40, 11 * 60 + 50, 12 * 60, 12 * 60 + 10, 12 * 60 + 20, 12 * 60 + 30]);
    for (const w of timeWindowsFor(spec, t)) expect(w.end - w.start).toBe(60 * MIN);
  });

  it('counts a record on a grid point in the windows starting there, not those ending there, when left-closed', () => {
    const spec = hopping({ sizeMs: 60 * MIN, advanceMs: 10 * MIN });
    const t = 12 * 60 * MIN;
    expect(timeWindowsFor(spec, t).map((w) => w.end / MIN)).toEqual([730, 740, 750, 760, 770, 780]);
  });

  it('counts a record on a grid point in the windows ending there, not those starting there, when right-closed', () => {
    const spec = hopping({ sizeMs: 60 * MIN, advanceMs: 10 * MIN, closed: 'right' });
    const t = 12 * 60 * MIN;
    expect(timeWindowsFor(spec, t).map((w) => w.end / MIN)).toEqual([720, 730, 740, 750, 760, 770]);
    expect(timeWindowsFor(spec, t + 1).map((w) => w.end / MIN)).toEqual([730, 740, 750, 760, 770, 780]);
  });

  it('handles a size that is not a multiple of the advance', () => {
    const spec = hopping({ sizeMs: 25, advanceMs: 10 });
    expect(timeWindowsFor(spec, 24)).toEqual([
      { start: 0, end: 25 },
      { start: 10, end: 35 },
      { start: 20, end: 45 },
    ]);
    expect(timeWindowsFor(spec, 25)).toEqual([
      { start: 10, end: 35 },
      { start: 20, end: 45 },
    ]);
  });

  it('stays exact at present-day epoch milliseconds', () => {
    const spec = hopping({ sizeMs: 2 * 60 * MIN, advanceMs: 10 * MIN, closed: 'right' });
    const t = Date.UTC(2024, 7, 26, 10, 0, 0);
    const windows = timeWindowsFor(spec, t);
    expect(windows).toHaveLength(12);
    expect(windows[0]).toEqual({ start: t - 2 * 60 * MIN, end: t });
  });
});
