import { engineFor, feed, rec } from './test-support/records';
import { session } from './window-spec';

describe('WindowEngine with session windows', () => {
  it('keeps records up to the gap apart (inclusive) in one session and closes it once the gap has passed', () => {
    const engine = engineFor(session({ gapMs: 10 }));
    expect(feed(engine, [rec('a', 0), rec('a', 10)])).toEqual([]);
    // 21 is 11 after 10: a new session; the watermark 21 is past 10 + gap, so the first session closes.
    expect(feed(engine, [rec('a', 21)])).toEqual(['a 0..10 r0: a0 a10']);
    expect(feed(engine, [rec('z', 32)])).toEqual(['a 21..21 r0: a21']);
  });

  it('merges two open sessions when a record falls within the gap of both', () => {
    const engine = engineFor(session({ gapMs: 10, graceMs: 20 }));
    expect(feed(engine, [rec('a', 0), rec('a', 5), rec('a', 25), rec('a', 15)])).toEqual([]);
    expect(engine.stats().openWindows).toBe(1);
    // Closes at 25 + gap + 1 + grace = 56.
    expect(feed(engine, [rec('z', 55)])).toEqual([]);
    expect(feed(engine, [rec('z', 56)])).toEqual(['a 0..25 r0: a0 a5 a15 a25']);
  });

  it('merges emitted sessions into the earlier one with revision + 1 and retracts the later one', () => {
    const engine = engineFor(session({ gapMs: 10, retentionMs: 100 }));
    expect(feed(engine, [rec('a', 0), rec('a', 20)])).toEqual(['a 0..0 r0: a0']);
    expect(feed(engine, [rec('z', 31)])).toEqual(['a 20..20 r0: a20']);
    expect(feed(engine, [rec('a', 10)])).toEqual(['a 0..20 r1: a0 a10 a20', 'a 20..20 r1: retracted']);
    expect(engine.stats()).toMatchObject({ lateUpdates: 1, retainedWindows: 1 });
  });

  it('reopens a closed session that a late record extends, until gap and grace have passed again', () => {
    const engine = engineFor(session({ gapMs: 10, retentionMs: 100 }));
    expect(feed(engine, [rec('a', 0), rec('z', 11)])).toEqual(['a 0..0 r0: a0']);
    expect(feed(engine, [rec('a', 8)])).toEqual([]);
    expect(feed(engine, [rec('z', 18)])).toEqual([]);
    expect(feed(engine, [rec('z', 19)])).toEqual(['a 0..8 r1: a0 a8']);
  });

  it('returns a record as late once a session it could have joined may be purged', () => {
    const engine = engineFor(session({ gapMs: 10, retentionMs: 5 }));
    expect(feed(engine, [rec('a', 0), rec('z', 100)])).toEqual(['a 0..0 r0: a0']);
    const out = engine.add(0, rec('a', 5), 0);
    expect(out.late.map((l) => l.windows)).toEqual([[{ start: 5, end: 5 }]]);
    expect(out.emitted).toEqual([]);
    expect(engine.stats()).toMatchObject({ keys: 1, lateRecords: 1 });
  });
});
