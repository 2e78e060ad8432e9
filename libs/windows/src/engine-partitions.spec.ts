import { engineFor, lines, rec } from './test-support/records';
import { tumbling } from './window-spec';

// `now` is the caller's clock (ms), separate from event time; the idle timeout is measured on it.
const IDLE = 1000;

describe('WindowEngine watermarks across partitions', () => {
  it('follows the slowest partition', () => {
    const engine = engineFor(tumbling({ sizeMs: 60 }), { idleTimeoutMs: IDLE });
    engine.assign([0, 1], 0);
    expect(lines(engine.add(0, rec('a', 100), 0))).toEqual([]);
    expect(engine.watermark).toBeNull();
    expect(lines(engine.add(1, rec('b', 40), 0))).toEqual([]);
    expect(engine.watermark).toBe(40);
    expect(lines(engine.add(1, rec('b', 70), 0))).toEqual(['b 0..60 r0: b40']);
    expect(engine.watermark).toBe(70);
  });

  it('lets an assigned partition without records hold the watermark back until it is idle', () => {
    const engine = engineFor(tumbling({ sizeMs: 60 }), { idleTimeoutMs: IDLE });
    engine.assign([0, 1], 0);
    engine.add(0, rec('a', 10), 0);
    expect(lines(engine.add(0, rec('a', 100), 500))).toEqual([]);
    expect(lines(engine.tick(1000))).toEqual([]);
    expect(lines(engine.tick(1001))).toEqual(['a 0..60 r0: a10']);
    expect(engine.watermark).toBe(100);
  });

  it('stops waiting for an idle partition, and when it wakes up behind, stands still without going back', () => {
    const engine = engineFor(tumbling({ sizeMs: 60, retentionMs: 100 }), { idleTimeoutMs: IDLE });
    engine.assign([0, 1], 0);
    engine.add(1, rec('b', 10), 0);
    engine.add(0, rec('a', 20), 0);
    expect(engine.watermark).toBe(10);

    // Partition 1 has been silent for 2000 > 1000: partition 0 alone sets the watermark.
    expect(lines(engine.add(0, rec('a', 130), 2000))).toEqual(['a 0..60 r0: a20', 'b 0..60 r0: b10']);
    expect(engine.watermark).toBe(130);

    // Partition 1 wakes up at event time 50: the watermark does not go back to 50, and b's closed window is corrected.
    expect(lines(engine.add(1, rec('b', 50), 2100))).toEqual(['b 0..60 r1: b10 b50']);
    expect(engine.watermark).toBe(130);
    // While partition 1 is behind, partition 0 cannot move the watermark on.
    expect(lines(engine.add(0, rec('a', 200), 2100))).toEqual([]);
    expect(engine.watermark).toBe(130);
    // Once it catches up, the minimum rules again.
    expect(lines(engine.add(1, rec('b', 190), 2200))).toEqual(['a 120..180 r0: a130']);
    expect(engine.watermark).toBe(190);
  });

  it('moves to the most advanced partition when every partition is idle', () => {
    const engine = engineFor(tumbling({ sizeMs: 60 }), { idleTimeoutMs: IDLE });
    engine.assign([0, 1], 0);
    engine.add(0, rec('a', 100), 0);
    engine.add(1, rec('b', 10), 0);
    expect(engine.watermark).toBe(10);
    expect(lines(engine.tick(2000))).toEqual(['b 0..60 r0: b10']);
    expect(engine.watermark).toBe(100);
  });

  it('never waits for partitions when there is no idle timeout, however long the silence', () => {
    const engine = engineFor(tumbling({ sizeMs: 60 }));
    engine.assign([0, 1], 0);
    engine.add(0, rec('a', 100), 0);
    expect(lines(engine.tick(Number.MAX_SAFE_INTEGER))).toEqual([]);
    expect(engine.watermark).toBeNull();
  });

  it('restarts the idle timers of partitions assigned after a restore, whatever the downtime', () => {
    const engine = engineFor(tumbling({ sizeMs: 60 }), { idleTimeoutMs: IDLE });
    engine.assign([0, 1], 0);
    engine.add(0, rec('a', 100), 0);
    engine.add(1, rec('b', 10), 0);
    const changes = engine.drainChanges();

    const restarted = engineFor(tumbling({ sizeMs: 60 }), { idleTimeoutMs: IDLE });
    for (const c of changes) {
      if (c.scope === 'partition') restarted.restorePartition(c.partition, c.state);
      else if (c.state !== null) restarted.restoreKey(c.key, c.state);
    }
    // An hour later: without the fresh timers partition 1 would count as idle and partition 0 alone would close b's window.
    restarted.assign([0, 1], 3_600_000);
    expect(lines(restarted.add(0, rec('a', 101), 3_600_000))).toEqual([]);
    expect(restarted.watermark).toBe(10);
  });

  it('forgets revoked partitions and their keys without reporting them as changed', () => {
    const engine = engineFor(tumbling({ sizeMs: 60 }), { idleTimeoutMs: IDLE });
    engine.assign([0, 1], 0);
    engine.add(0, rec('a', 10), 0);
    engine.add(1, rec('b', 10), 0);
    engine.drainChanges();
    engine.add(1, rec('b', 20), 0);
    engine.revoke([1]);
    expect(engine.drainChanges()).toEqual([]);
    expect(engine.stats().keys).toBe(1);
    expect(lines(engine.add(0, rec('a', 70), 0))).toEqual(['a 0..60 r0: a10']);
  });
});
