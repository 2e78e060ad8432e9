import { collect, type Rec } from './test-support/records';
import { WindowEngine } from './engine';
import type { Aggregator } from './aggregator';
import { hopping, session, sliding, tumbling, type WindowSpec } from './window-spec';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
};

describe('window specs', () => {
  it('default to left-closed windows with no grace and no retention', () => {
    expect(tumbling({ sizeMs: 60 })).toEqual({ kind: 'tumbling', sizeMs: 60, closed: 'left', graceMs: 0, retentionMs: 0 });
    expect(session({ gapMs: 5, graceMs: 1, retentionMs: 2 })).toEqual({ kind: 'session', gapMs: 5, graceMs: 1, retentionMs: 2 });
  });

  it('refuse sizes that are not positive integers of ms', () => {
    expect(code(() => tumbling({ sizeMs: 0 }))).toBe('WINDOW_SPEC_INVALID');
    expect(code(() => tumbling({ sizeMs: 1.5 }))).toBe('WINDOW_SPEC_INVALID');
    expect(code(() => sliding({ timeDifferenceMs: -1 }))).toBe('WINDOW_SPEC_INVALID');
    expect(code(() => session({ gapMs: Number.POSITIVE_INFINITY }))).toBe('WINDOW_SPEC_INVALID');
  });

  it('refuse negative grace or retention', () => {
    expect(code(() => tumbling({ sizeMs: 60, graceMs: -1 }))).toBe('WINDOW_SPEC_INVALID');
    expect(code(() => tumbling({ sizeMs: 60, retentionMs: -1 }))).toBe('WINDOW_SPEC_INVALID');
  });

  it('refuse a hopping advance larger than the size, which would leave gaps', () => {
    expect(code(() => hopping({ sizeMs: 10, advanceMs: 11 }))).toBe('WINDOW_SPEC_INVALID');
    expect(hopping({ sizeMs: 10, advanceMs: 10 }).advanceMs).toBe(10);
  });
});

describe('WindowEngine configuration', () => {
  const { merge: _merge, ...withoutMerge } = collect;
  const build = (window: WindowSpec, aggregator: Aggregator<Rec, [number, string][], string[]>) => () =>
    new WindowEngine({ window, aggregator, keyOf: (r: Rec) => r.key, eventTimeOf: (r: Rec) => r.t });

  it('refuses session and sliding windows over an aggregator that cannot merge', () => {
    expect(code(build(session({ gapMs: 5 }), withoutMerge))).toBe('WINDOW_AGGREGATOR_INVALID');
    expect(code(build(sliding({ timeDifferenceMs: 5 }), withoutMerge))).toBe('WINDOW_AGGREGATOR_INVALID');
    expect(code(build(tumbling({ sizeMs: 5 }), withoutMerge))).toBeUndefined();
  });

  it('refuses running totals on anything but tumbling windows', () => {
    const running = { ...collect, runningTotals: true };
    expect(code(build(hopping({ sizeMs: 10, advanceMs: 5 }), running))).toBe('WINDOW_AGGREGATOR_INVALID');
    expect(code(build(tumbling({ sizeMs: 10 }), running))).toBeUndefined();
  });

  it('refuses a negative allowed lateness or idle timeout', () => {
    const make = (allowedLatenessMs: number, idleTimeoutMs: number) => () =>
      new WindowEngine({
        window: tumbling({ sizeMs: 5 }),
        aggregator: collect,
        keyOf: (r: Rec) => r.key,
        eventTimeOf: (r: Rec) => r.t,
        allowedLatenessMs,
        idleTimeoutMs,
      });
    expect(code(make(-1, 10))).toBe('WINDOW_ENGINE_INVALID');
    expect(code(make(0, -10))).toBe('WINDOW_ENGINE_INVALID');
    expect(code(make(0, Number.POSITIVE_INFINITY))).toBeUndefined();
  });
});
