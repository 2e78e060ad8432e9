import type { Logger } from './logger';

/** One named piece of an orderly stop, e.g. "stop consumer: finish the in-flight batch and commit". */
export interface ShutdownStep {
  readonly name: string;
  readonly run: () => void | Promise<void>;
}

/** The part of `process` shutdown needs; tests pass an EventEmitter with a recording `exit`. */
export interface ShutdownProcess {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  exit(code: number): void;
}

export interface ShutdownOptions {
  readonly logger: Logger;
  /** Budget for all steps together; keep it below the orchestrator's grace period (Kubernetes: 30 s) to log first. */
  readonly timeoutMs: number;
  /** Run in this order, one after the other. */
  readonly steps: readonly ShutdownStep[];
  /** Default SIGTERM (orchestrators) and SIGINT (Ctrl-C). */
  readonly signals?: readonly NodeJS.Signals[];
  readonly proc?: ShutdownProcess;
}

export interface Shutdown {
  /**
   * Starts the shutdown, or joins the one under way, and resolves with the exit code once `exit` was called (which
   * with the real process never happens). `exitCode` 1 marks an abnormal stop: the process exits 1 even if every step
   * succeeds, so the orchestrator sees the failure.
   */
  trigger(reason: string, exitCode?: number): Promise<number>;
  /** Logs a fatal error (the consumer runner gave up, say) and shuts down the same orderly way, exiting 1. */
  fail(error: unknown, reason?: string): Promise<number>;
  readonly inProgress: boolean;
}

export const DEFAULT_SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * Turns the first SIGTERM/SIGINT into an orderly stop: the steps run in order, a failing step is logged and the rest
 * still run (a producer that fails to flush must not keep the consumer from committing), then the process exits 0 if
 * every step succeeded and 1 otherwise. A second signal means the operator has stopped waiting: exit 1 at once.
 */
export function installShutdown(options: ShutdownOptions): Shutdown {
  const { logger, timeoutMs, steps, signals = DEFAULT_SHUTDOWN_SIGNALS, proc = process } = options;
  let running: Promise<number> | undefined;
  let requestedCode = 0;
  let exitedWith: number | undefined;

  const exit = (code: number): number => {
    if (exitedWith === undefined) {
      exitedWith = code;
      proc.exit(code);
    }
    return exitedWith;
  };

  const trigger = (reason: string, exitCode = 0): Promise<number> => {
    requestedCode = Math.max(requestedCode, exitCode);
    running ??= run(reason);
    return running;
  };

  for (const signal of signals) {
    proc.on(signal, () => {
      if (running) {
        logger.warn({ signal }, 'second signal while shutting down: exiting now');
        exit(1);
        return;
      }
      void trigger(signal);
    });
  }

  async function run(reason: string): Promise<number> {
    const started = performance.now();
    logger.info({ reason, steps: steps.map((s) => s.name), timeoutMs }, 'shutting down');
    const progress = { current: undefined as string | undefined, failed: [] as string[] };

    const allSteps = (async () => {
      for (const step of steps) {
        if (exitedWith !== undefined) return;
        progress.current = step.name;
        const stepStarted = performance.now();
        try {
          await step.run();
          logger.info({ step: step.name, durationMs: elapsed(stepStarted) }, 'shutdown step done');
        } catch (err) {
          progress.failed.push(step.name);
          logger.error({ err, step: step.name, durationMs: elapsed(stepStarted) }, 'shutdown step failed');
        }
      }
      progress.current = undefined;
    })();

    // Deliberately not unref'd: if a step awaits something that holds no handle, Node would otherwise run out of
    // work and exit 0 on its own, reporting a hung shutdown as a clean one.
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([allSteps.then(() => 'done' as const), timedOut]);
    clearTimeout(timer);

    let code: number;
    if (outcome === 'timeout') {
      code = 1;
      logger.error(
        { step: progress.current, timeoutMs },
        `shutdown timed out after ${timeoutMs} ms in step "${progress.current ?? '?'}"`,
      );
    } else {
      code = progress.failed.length > 0 ? 1 : requestedCode;
      const summary = { failedSteps: progress.failed, durationMs: elapsed(started), exitCode: code };
      if (code === 0) logger.info(summary, 'shutdown complete');
      else logger.error(summary, 'shutdown finished with errors');
    }
    return exit(code);
  }

  return {
    trigger,
    fail(error, reason = 'fatal error') {
      logger.fatal({ err: error }, reason);
      return trigger(reason, 1);
    },
    get inProgress() {
      return running !== undefined;
    },
  };
}

const elapsed = (since: number) => Math.round(performance.now() - since);
