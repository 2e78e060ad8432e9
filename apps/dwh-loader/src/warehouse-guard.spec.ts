import { fatalError, poisonError, transientError } from '@meterline/stream';
import { backoffDelay, WarehouseGuard } from './warehouse-guard';

const quiet = { warn: () => undefined, info: () => undefined };
const policy = { initialDelayMs: 1, maxDelayMs: 4, maxOutageMs: 60_000 };
const locked = () => transientError('WAREHOUSE_UNAVAILABLE', 'Could not set lock on file');

/** A call that fails transiently `times` times, then answers. */
const flaky = (times: number) => {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    run: async () => {
      calls += 1;
      if (calls <= times) throw locked();
      return 'stored';
    },
  };
};

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap, with jitter in the upper half', () => {
    const p = { initialDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5, 9].map((a) => backoffDelay(a, p, () => 1))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(backoffDelay(3, p, () => 0)).toBe(200);
  });
});

describe('WarehouseGuard', () => {
  it('retries a transient failure until the call succeeds, unavailable meanwhile and available after', async () => {
    const states: boolean[] = [];
    const guard = new WarehouseGuard(policy, { log: quiet, signal: new AbortController().signal, onChange: (a) => states.push(a) });
    const call = flaky(3);

    await expect(guard.run('loading', call.run)).resolves.toBe('stored');
    expect(call.calls).toBe(4);
    expect(states).toEqual([false, true]);
    expect(guard.available).toBe(true);
  });

  it('reports the outage while it lasts', async () => {
    const guard = new WarehouseGuard({ ...policy, initialDelayMs: 50, maxDelayMs: 50 }, { log: quiet, signal: new AbortController().signal });
    const pending = guard.run('loading', flaky(1).run);
    await new Promise((r) => setTimeout(r, 10));
    expect([guard.available, guard.problem]).toEqual([false, 'Could not set lock on file']);
    await pending;
    expect(guard.available).toBe(true);
  });

  it('gives up with a fatal error once the outage outlasts its limit', async () => {
    let clock = 0;
    const guard = new WarehouseGuard({ ...policy, maxOutageMs: 1_000 }, { log: quiet, signal: new AbortController().signal, now: () => (clock += 400) });
    await expect(guard.run('loading', flaky(100).run)).rejects.toMatchObject({ kind: 'fatal', code: 'WAREHOUSE_OUTAGE', details: { lastCode: 'WAREHOUSE_UNAVAILABLE' } });
  });

  it('never retries poison or fatal errors', async () => {
    const guard = new WarehouseGuard(policy, { log: quiet, signal: new AbortController().signal });
    let calls = 0;
    await expect(guard.run('x', async () => { calls += 1; throw fatalError('WAREHOUSE_FAILED', 'bad SQL'); })).rejects.toMatchObject({ code: 'WAREHOUSE_FAILED' });
    await expect(guard.run('x', async () => { calls += 1; throw poisonError('P', 'bad row'); })).rejects.toMatchObject({ code: 'P' });
    expect(calls).toBe(2);
    expect(guard.available).toBe(true);
  });

  it('stops waiting on shutdown and hands back the transient error', async () => {
    const stop = new AbortController();
    const guard = new WarehouseGuard({ ...policy, initialDelayMs: 60_000, maxDelayMs: 60_000 }, { log: quiet, signal: stop.signal });
    const pending = guard.run('loading', flaky(100).run);
    setTimeout(() => stop.abort(), 20);
    await expect(pending).rejects.toMatchObject({ kind: 'transient' });
  });
});
