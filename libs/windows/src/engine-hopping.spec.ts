import { engineFor, feed, lines, rec } from './test-support/records';
import { hopping } from './window-spec';

const MIN = 60_000;
const NOON = 12 * 60 * MIN;

describe('WindowEngine with hopping windows', () => {
  it('puts a record in every window that covers it and emits each when the watermark passes its own end', () => {
    const engine = engineFor(hopping({ sizeMs: 30, advanceMs: 10 }));
    expect(feed(engine, [rec('a', 20), rec('a', 29)])).toEqual([]);
    expect(feed(engine, [rec('a', 30)])).toEqual(['a 0..30 r0: a20 a29']);
    expect(feed(engine, [rec('a', 40)])).toEqual(['a 10..40 r0: a20 a29 a30']);
    expect(feed(engine, [rec('a', 100)])).toEqual(['a 20..50 r0: a20 a29 a30 a40', 'a 30..60 r0: a30 a40', 'a 40..70 r0: a40']);
  });

  it('leaves a sample at exactly a grid point out of the window ending there when left-closed', () => {
    const engine = engineFor(hopping({ sizeMs: 60 * MIN, advanceMs: 10 * MIN }));
    expect(lines(engine.add(0, rec('a', NOON - 1, 'early'), 0))).toEqual([]);
    expect(lines(engine.add(0, rec('a', NOON, 'on'), 0))).toEqual([`a ${NOON - 60 * MIN}..${NOON} r0: early`]);
  });

  it('counts a sample at exactly a grid point in the window ending there when right-closed, closing it only after', () => {
    const engine = engineFor(hopping({ sizeMs: 60 * MIN, advanceMs: 10 * MIN, closed: 'right' }));
    expect(feed(engine, [rec('a', NOON - 1, 'early'), rec('a', NOON, 'on'), rec('a', NOON, 'also-on')])).toEqual([]);
    expect(lines(engine.add(0, rec('b', NOON + 1), 0))).toEqual([`a ${NOON - 60 * MIN}..${NOON} r0: early also-on on`]);
  });

  it('applies a record to its retained windows and returns it as late for the purged ones', () => {
    const engine = engineFor(hopping({ sizeMs: 30, advanceMs: 10 }));
    expect(feed(engine, [rec('a', 20), rec('a', 45)])).toEqual(['a 0..30 r0: a20', 'a 10..40 r0: a20']);
    const out = engine.add(0, rec('a', 25), 0);
    expect(out.emitted).toEqual([]);
    expect(out.late.map((l) => l.windows)).toEqual([
      [
        { start: 0, end: 30 },
        { start: 10, end: 40 },
      ],
    ]);
    expect(feed(engine, [rec('a', 50)])).toEqual(['a 20..50 r0: a20 a25 a45']);
    expect(engine.stats().lateRecords).toBe(1);
  });
});
