import { isMeterlineError } from '@meterline/stream';
import { engineFor, feed, lines, rec } from './test-support/records';
import { tumbling } from './window-spec';

// Times are plain ms in these tests; the engine has no notion of a clock.
describe('WindowEngine with tumbling windows', () => {
  it('emits a window once, when the watermark reaches its end, and not before', () => {
    const engine = engineFor(tumbling({ sizeMs: 60 }));
    expect(feed(engine, [rec('a', 0), rec('a', 30), rec('a', 59)])).toEqual([]);
    expect(feed(engine, [rec('b', 60)])).toEqual(['a 0..60 r0: a0 a30 a59']);
    expect(feed(engine, [rec('b', 61), rec('a', 119)])).toEqual([]);
    expect(feed(engine, [rec('a', 120)])).toEqual(['a 60..120 r0: a119', 'b 60..120 r0: b60 b61']);
  });

  it('accepts out-of-order records into an open window during the grace period', () => {
    const engine = engineFor(tumbling({ sizeMs: 60, graceMs: 10 }));
    expect(feed(engine, [rec('a', 10), rec('a', 65), rec('a', 50)])).toEqual([]);
    expect(feed(engine, [rec('a', 70)])).toEqual(['a 0..60 r0: a10 a50']);
  });

  it('holds the watermark back by the allowed lateness, which delays closing the same way', () => {
    const engine = engineFor(tumbling({ sizeMs: 60 }), { allowedLatenessMs: 10 });
    expect(feed(engine, [rec('a', 10), rec('a', 65), rec('a', 50)])).toEqual([]);
    expect(engine.watermark).toBe(55);
    expect(feed(engine, [rec('a', 70)])).toEqual(['a 0..60 r0: a10 a50']);
    expect(engine.watermark).toBe(60);
  });

  it('re-emits a closed window with revision + 1 for each late record while it is retained', () => {
    const engine = engineFor(tumbling({ sizeMs: 60, retentionMs: 30 }));
    expect(feed(engine, [rec('a', 10), rec('a', 60)])).toEqual(['a 0..60 r0: a10']);
    expect(feed(engine, [rec('a', 20)])).toEqual(['a 0..60 r1: a10 a20']);
    expect(feed(engine, [rec('a', 89), rec('a', 30)])).toEqual(['a 0..60 r2: a10 a20 a30']);
    expect(engine.stats()).toMatchObject({ lateUpdates: 2, lateRecords: 0 });
  });

  it('returns a record as late, with the window it missed, once the window is past retention', () => {
    const engine = engineFor(tumbling({ sizeMs: 60, retentionMs: 30 }));
    feed(engine, [rec('a', 10), rec('a', 60), rec('a', 90)]);
    const late = rec('a', 40);
    const out = engine.add(3, late, 0);
    expect(out.emitted).toEqual([]);
    expect(out.late).toEqual([{ key: 'a', partition: 3, eventTime: 40, record: late, windows: [{ start: 0, end: 60 }] }]);
    expect(engine.stats()).toMatchObject({ lateRecords: 1, lateUpdates: 0 });
  });

  it('emits a window first created by a late record at once, as revision 0', () => {
    const engine = engineFor(tumbling({ sizeMs: 60, retentionMs: 60 }));
    expect(feed(engine, [rec('a', 100), rec('a', 50)])).toEqual(['a 0..60 r0: a50']);
    expect(engine.stats().lateUpdates).toBe(1);
  });

  it('keeps closed windows until their retention ends and reports open and retained windows', () => {
    const engine = engineFor(tumbling({ sizeMs: 60, retentionMs: 30 }));
    feed(engine, [rec('a', 10), rec('b', 20)]);
    expect(engine.stats()).toMatchObject({ keys: 2, openWindows: 2, retainedWindows: 0, stateEntries: 2 });
    feed(engine, [rec('a', 60)]);
    expect(engine.stats()).toMatchObject({ keys: 2, openWindows: 1, retainedWindows: 2, stateEntries: 3 });
    feed(engine, [rec('a', 90)]);
    expect(engine.stats()).toMatchObject({ keys: 1, openWindows: 1, retainedWindows: 0, stateEntries: 1 });
  });

  it('orders what one watermark step closes by window end, then key', () => {
    const engine = engineFor(tumbling({ sizeMs: 60 }), { allowedLatenessMs: 100 });
    expect(feed(engine, [rec('c', 0), rec('b', 130), rec('a', 10), rec('a', 70), rec('c', 100)])).toEqual([]);
    expect(feed(engine, [rec('z', 300)])).toEqual([
      'a 0..60 r0: a10',
      'c 0..60 r0: c0',
      'a 60..120 r0: a70',
      'c 60..120 r0: c100',
      'b 120..180 r0: b130',
    ]);
  });

  it('rejects a record without an integer event time as poison and leaves the state alone', () => {
    const engine = engineFor(tumbling({ sizeMs: 60 }));
    let caught: unknown;
    try {
      engine.add(0, rec('a', Number.NaN), 0);
    } catch (err) {
      caught = err;
    }
    expect(isMeterlineError(caught) && caught.kind === 'poison' && caught.code).toBe('EVENT_TIME_INVALID');
    expect(engine.stats()).toMatchObject({ keys: 0, watermark: null });
    expect(lines(engine.add(0, rec('a', 60), 0))).toEqual([]);
  });
});
