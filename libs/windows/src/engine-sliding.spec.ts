import { engineFor, feed, rec } from './test-support/records';
import { sliding } from './window-spec';

describe('WindowEngine with sliding windows (Kafka Streams semantics)', () => {
  // Time difference 10: a window is [start, start + 10], both ends inclusive.
  const spec = sliding({ timeDifferenceMs: 10, graceMs: 20 });

  it('creates one window per distinct set of records within the time difference, including out-of-order ones', () => {
    const engine = engineFor(spec);
    // 5, 12, then 8 out of order. Left windows [t−10, t]: [−5,5] [2,12] [−2,8]; right windows [t+1, t+11] of each
    // record with a later record inside: [6,16] (of 5) and [9,19] (of 8); 12 has none.
    expect(feed(engine, [rec('a', 5), rec('a', 12), rec('a', 8)])).toEqual([]);
    expect(feed(engine, [rec('z', 50)])).toEqual([
      'a -5..5 r0: a5',
      'a -2..8 r0: a5 a8',
      'a 2..12 r0: a5 a8 a12',
      'a 6..16 r0: a8 a12',
      'a 9..19 r0: a12',
    ]);
  });

  it('closes a window only after its inclusive end plus grace', () => {
    const engine = engineFor(sliding({ timeDifferenceMs: 10 }));
    expect(feed(engine, [rec('a', 5), rec('z', 5)])).toEqual([]);
    expect(feed(engine, [rec('z', 6)])).toEqual(['a -5..5 r0: a5', 'z -5..5 r0: z5']);
  });

  it('does not create a second window for a record at a time already seen', () => {
    const engine = engineFor(spec);
    feed(engine, [rec('a', 5, 'x'), rec('a', 5, 'y')]);
    expect(feed(engine, [rec('z', 100)])).toEqual(['a -5..5 r0: x y']);
  });

  it('creates the right window of the previous record when a record lands in it', () => {
    const engine = engineFor(spec);
    // 0 then 5: 5's left window [−5, 5] holds both; 0's right window [1, 11] now has content (5) and comes into being.
    feed(engine, [rec('a', 0), rec('a', 5)]);
    expect(feed(engine, [rec('z', 100)])).toEqual(['a -10..0 r0: a0', 'a -5..5 r0: a0 a5', 'a 1..11 r0: a5']);
  });

  it('counts a window that is both a left and a right window once', () => {
    const engine = engineFor(spec);
    // 11's left window [1, 11] is also 0's right window.
    feed(engine, [rec('a', 0), rec('a', 11)]);
    expect(feed(engine, [rec('z', 100)])).toEqual(['a -10..0 r0: a0', 'a 1..11 r0: a11']);
  });

  it('re-emits a retained window a late record lands in, and returns a record past retention as late', () => {
    const engine = engineFor(sliding({ timeDifferenceMs: 10, retentionMs: 10 }));
    expect(feed(engine, [rec('a', 5), rec('z', 6)])).toEqual(['a -5..5 r0: a5']);
    // 3 lands in the closed [−5, 5] (revision 1) and creates its own left window [−7, 3], closed already, and its
    // right window [4, 14], still open.
    expect(feed(engine, [rec('a', 3)])).toEqual(['a -7..3 r0: a3', 'a -5..5 r1: a3 a5']);
    // Open: a's [4, 14] and z's own [−4, 6].
    expect(engine.stats()).toMatchObject({ lateUpdates: 1, openWindows: 2 });
    const out = engine.add(0, rec('a', -10), 0);
    expect(out.late.map((l) => l.windows)).toEqual([[{ start: -20, end: -10 }]]);
    expect(out.emitted).toEqual([]);
  });
});
