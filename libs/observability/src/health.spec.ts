import { createHealth } from './health';

const never = () => new Promise<boolean>(() => undefined);

describe('createHealth', () => {
  it('is ready when every check passes, in registration order', async () => {
    const health = createHealth();
    health.addReadinessCheck('kafka', () => true);
    health.addReadinessCheck('metadata table', async () => ({ ok: true, detail: '12 nodes' }));
    const report = await health.checkReadiness();
    expect(report.status).toBe('ready');
    expect(report.checks).toEqual([
      { name: 'kafka', status: 'ok', durationMs: expect.any(Number) },
      { name: 'metadata table', status: 'ok', detail: '12 nodes', durationMs: expect.any(Number) },
    ]);
  });

  it('is ready when nothing is registered', async () => {
    expect(await createHealth().checkReadiness()).toEqual({ status: 'ready', checks: [] });
  });

  it('is not ready when one check fails and still reports the others', async () => {
    const health = createHealth();
    health.addReadinessCheck('kafka', () => true);
    health.addReadinessCheck('lag', async () => ({ ok: false, detail: 'lag 90000 > 10000' }));
    health.addReadinessCheck('registry', async () => false);
    const report = await health.checkReadiness();
    expect(report.status).toBe('not_ready');
    expect(report.checks.map(({ name, status, detail }) => ({ name, status, detail }))).toEqual([
      { name: 'kafka', status: 'ok', detail: undefined },
      { name: 'lag', status: 'fail', detail: 'lag 90000 > 10000' },
      { name: 'registry', status: 'fail', detail: undefined },
    ]);
  });

  it('reports the message of a check that throws or rejects', async () => {
    const health = createHealth();
    health.addReadinessCheck('sync', () => {
      throw new Error('broker list is empty');
    });
    health.addReadinessCheck('async', async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:39092');
    });
    const report = await health.checkReadiness();
    expect(report.status).toBe('not_ready');
    expect(report.checks.map((c) => [c.status, c.detail])).toEqual([
      ['fail', 'broker list is empty'],
      ['fail', 'connect ECONNREFUSED 127.0.0.1:39092'],
    ]);
  });

  it('fails a hanging check after the timeout and aborts its signal, without waiting for it', async () => {
    const health = createHealth({ checkTimeoutMs: 50 });
    let signal: AbortSignal | undefined;
    health.addReadinessCheck('hangs', (s) => {
      signal = s;
      return never();
    });
    health.addReadinessCheck('fine', () => true);
    const started = Date.now();
    const report = await health.checkReadiness();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(report.status).toBe('not_ready');
    expect(report.checks[0]).toMatchObject({ name: 'hangs', status: 'fail', detail: 'timed out after 50 ms' });
    expect(report.checks[1]).toMatchObject({ name: 'fine', status: 'ok' });
    expect(signal?.aborted).toBe(true);
  });

  it('runs the checks concurrently, so the slowest bounds the answer rather than the sum', async () => {
    const health = createHealth();
    const slow = () => new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 100));
    for (const name of ['a', 'b', 'c', 'd', 'e']) health.addReadinessCheck(name, slow);
    const started = Date.now();
    expect((await health.checkReadiness()).status).toBe('ready');
    expect(Date.now() - started).toBeLessThan(400);
  });

  it('reports shutting down without running the checks once marked', async () => {
    const health = createHealth();
    const check = jest.fn(() => true);
    health.addReadinessCheck('kafka', check);
    health.setShuttingDown();
    expect(health.shuttingDown).toBe(true);
    expect(await health.checkReadiness()).toEqual({ status: 'shutting_down', checks: [] });
    expect(check).not.toHaveBeenCalled();
  });

  it('refuses a second check under the same name', () => {
    const health = createHealth();
    health.addReadinessCheck('kafka', () => true);
    expect(() => health.addReadinessCheck('kafka', () => true)).toThrow('readiness check "kafka" is already registered');
  });
});
