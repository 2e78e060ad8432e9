import { intBelow, seeded } from './test-support/random';
import { WatermarkTracker } from './watermark-tracker';

describe('WatermarkTracker', () => {
  it('has no watermark before the first record', () => {
    const tracker = new WatermarkTracker({ allowedLatenessMs: 0, idleTimeoutMs: 100 });
    expect(tracker.update(0)).toBeNull();
  });

  it('subtracts the allowed lateness from each partition before taking the minimum', () => {
    const tracker = new WatermarkTracker({ allowedLatenessMs: 7, idleTimeoutMs: 100 });
    tracker.observe(0, 50, 0);
    tracker.observe(1, 30, 0);
    tracker.observe(1, 20, 0);
    expect(tracker.update(0)).toBe(23);
  });

  it('treats a partition as idle only after strictly more than the timeout', () => {
    const tracker = new WatermarkTracker({ allowedLatenessMs: 0, idleTimeoutMs: 100 });
    tracker.observe(0, 10, 0);
    tracker.observe(1, 90, 50);
    expect(tracker.isIdle(0, 100)).toBe(false);
    expect(tracker.update(100)).toBe(10);
    expect(tracker.isIdle(0, 101)).toBe(true);
    expect(tracker.update(101)).toBe(90);
  });

  it('never goes backwards, whatever the partitions do', () => {
    const random = seeded(42);
    const tracker = new WatermarkTracker({ allowedLatenessMs: 3, idleTimeoutMs: 20 });
    let now = 0;
    let previous: number | null = null;
    for (let i = 0; i < 2000; i++) {
      now += intBelow(random, 15);
      if (random() < 0.1) tracker.assign(intBelow(random, 6), now);
      else if (random() < 0.03) tracker.revoke(intBelow(random, 6));
      else tracker.observe(intBelow(random, 4), intBelow(random, 1000), now);
      const current = tracker.update(now);
      if (previous !== null) expect(current).not.toBeLessThan(previous);
      previous = current;
    }
    expect(previous).not.toBeNull();
  });

  it('restores exactly what it snapshotted', () => {
    const tracker = new WatermarkTracker({ allowedLatenessMs: 0, idleTimeoutMs: 10 });
    tracker.observe(3, 100, 5);
    tracker.assign(1, 7);
    tracker.update(7);
    const copy = new WatermarkTracker({ allowedLatenessMs: 0, idleTimeoutMs: 10 });
    copy.restore(JSON.parse(JSON.stringify(tracker.snapshot())));
    expect(copy.snapshot()).toEqual({
      watermark: null,
      partitions: [
        { partition: 1, maxEventTime: null, lastActiveAt: 7 },
        { partition: 3, maxEventTime: 100, lastActiveAt: 5 },
      ],
    });
  });
});
