import { EventEmitter } from 'node:events';
import type { DestinationStream } from 'pino';
import { createLogger } from './logger';
import { installShutdown, type ShutdownOptions, type ShutdownStep } from './shutdown';

/** An EventEmitter standing in for `process`: signals are emitted by the test, exits are recorded, not performed. */
class FakeProcess extends EventEmitter {
  readonly exitCodes: number[] = [];
  private waiting: ((code: number) => void)[] = [];

  exit(code: number): void {
    this.exitCodes.push(code);
    for (const resolve of this.waiting.splice(0)) resolve(code);
  }

  nextExit(): Promise<number> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}

function setup(steps: readonly ShutdownStep[], overrides: Partial<ShutdownOptions> = {}) {
  const proc = new FakeProcess();
  const logs: Record<string, unknown>[] = [];
  const destination: DestinationStream = {
    write: (chunk: string) => void logs.push(JSON.parse(chunk) as Record<string, unknown>),
  };
  const logger = createLogger({ service: 'enrichment', level: 'info', destination });
  const shutdown = installShutdown({ logger, timeoutMs: 1000, steps, proc, ...overrides });
  return { proc, logs, shutdown };
}

const never = () => new Promise<void>(() => undefined);

describe('installShutdown', () => {
  it('runs the steps in order on SIGTERM, each after the previous one finished, and exits 0', async () => {
    const done: string[] = [];
    const step = (name: string, ms: number): ShutdownStep => ({
      name,
      run: () => new Promise((resolve) => setTimeout(() => resolve(void done.push(name)), ms)),
    });
    const { proc, shutdown } = setup([step('mark not ready', 30), step('stop consumer', 1), step('close http', 10)]);

    const exited = proc.nextExit();
    proc.emit('SIGTERM', 'SIGTERM');
    expect(shutdown.inProgress).toBe(true);
    expect(await exited).toBe(0);
    expect(done).toEqual(['mark not ready', 'stop consumer', 'close http']);
    expect(proc.exitCodes).toEqual([0]);
  });

  it('reacts to SIGINT as well', async () => {
    const run = jest.fn();
    const { proc } = setup([{ name: 'close http', run }]);
    const exited = proc.nextExit();
    proc.emit('SIGINT', 'SIGINT');
    expect(await exited).toBe(0);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('logs a failing step, still runs the rest and exits 1', async () => {
    const ran: string[] = [];
    const { proc, logs } = setup([
      {
        name: 'flush producer',
        run: async () => {
          ran.push('flush producer');
          throw new Error('broker unreachable');
        },
      },
      { name: 'close http', run: () => void ran.push('close http') },
    ]);
    const exited = proc.nextExit();
    proc.emit('SIGTERM', 'SIGTERM');
    expect(await exited).toBe(1);
    expect(ran).toEqual(['flush producer', 'close http']);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'error',
        msg: 'shutdown step failed',
        step: 'flush producer',
        err: expect.objectContaining({ message: 'broker unreachable' }),
      }),
    );
    expect(logs.at(-1)).toMatchObject({ level: 'error', failedSteps: ['flush producer'], exitCode: 1 });
  });

  it('exits 1 naming the hanging step when the steps outlast the timeout, and runs no later step', async () => {
    const later = jest.fn();
    const { proc, logs } = setup(
      [
        { name: 'mark not ready', run: () => undefined },
        { name: 'stop consumer', run: never },
        { name: 'close http', run: later },
      ],
      { timeoutMs: 50 },
    );
    const exited = proc.nextExit();
    proc.emit('SIGTERM', 'SIGTERM');
    expect(await exited).toBe(1);
    expect(later).not.toHaveBeenCalled();
    expect(logs.at(-1)).toMatchObject({
      level: 'error',
      step: 'stop consumer',
      msg: 'shutdown timed out after 50 ms in step "stop consumer"',
    });
  });

  it('exits 1 at once on a second signal while shutting down', async () => {
    const { proc, logs } = setup([{ name: 'stop consumer', run: never }], { timeoutMs: 200 });
    proc.emit('SIGTERM', 'SIGTERM');
    await new Promise((resolve) => setImmediate(resolve));
    expect(proc.exitCodes).toEqual([]);

    proc.emit('SIGINT', 'SIGINT');
    expect(proc.exitCodes).toEqual([1]);
    expect(logs.at(-1)).toMatchObject({ level: 'warn', signal: 'SIGINT', msg: 'second signal while shutting down: exiting now' });
  });

  it('does nothing before a signal or a trigger', async () => {
    const run = jest.fn();
    const { proc, shutdown } = setup([{ name: 'close http', run }]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(shutdown.inProgress).toBe(false);
    expect(run).not.toHaveBeenCalled();
    expect(proc.exitCodes).toEqual([]);
  });

  it('can be triggered from code, and a second trigger joins the shutdown under way', async () => {
    const run = jest.fn();
    const { proc, shutdown } = setup([{ name: 'close http', run }]);
    const [first, second] = await Promise.all([shutdown.trigger('tests done'), shutdown.trigger('again')]);
    expect([first, second]).toEqual([0, 0]);
    expect(run).toHaveBeenCalledTimes(1);
    expect(proc.exitCodes).toEqual([0]);
  });

  it('shuts down the same orderly way on a fatal error, logs it and exits 1 although every step succeeded', async () => {
    const run = jest.fn();
    const { proc, logs, shutdown } = setup([{ name: 'close http', run }]);
    expect(await shutdown.fail(new Error('consumer crashed'), 'consumer runner failed')).toBe(1);
    expect(run).toHaveBeenCalledTimes(1);
    expect(proc.exitCodes).toEqual([1]);
    expect(logs[0]).toMatchObject({
      level: 'fatal',
      msg: 'consumer runner failed',
      err: expect.objectContaining({ message: 'consumer crashed' }),
    });
  });

  it('exits 1 when a fatal error arrives during a signal-initiated shutdown', async () => {
    let release: () => void = () => undefined;
    const stopConsumer = () =>
      new Promise<void>((resolve) => {
        release = resolve;
      });
    const { proc, shutdown } = setup([{ name: 'stop consumer', run: stopConsumer }]);
    const exited = proc.nextExit();
    proc.emit('SIGTERM', 'SIGTERM');
    void shutdown.fail(new Error('commit failed'));
    release();
    expect(await exited).toBe(1);
  });
});
