import { classify, fatalError, type MeterlineError } from '@meterline/stream';

export interface OutagePolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** How long the warehouse may keep failing before the loader gives up (fatal: the orchestrator restarts it). */
  readonly maxOutageMs: number;
}

export interface GuardLog {
  warn(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
}

/** Capped exponential backoff with jitter in [cap/2, cap], so replicas recovering from one outage spread out. */
export function backoffDelay(attempt: number, policy: Pick<OutagePolicy, 'initialDelayMs' | 'maxDelayMs'>, random = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(cap / 2 + (random() * cap) / 2);
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });

/**
 * Every warehouse call of the loader goes through here. A transient failure (locked file, I/O, a write conflict, an
 * unreachable Snowflake) pauses the caller with bounded backoff and retries the same call, so nothing is lost or
 * skipped; meanwhile `available` is false (/readyz answers 503). One outage is measured from the first failure to the
 * next success of any call; outlasting `maxOutageMs` turns it fatal. Poison and fatal errors are rethrown at once.
 * On shutdown (`signal`) the wait ends and the last error is rethrown: what was not stored is read again next start.
 */
export class WarehouseGuard {
  private failingSince: number | undefined;
  private lastError: MeterlineError | undefined;

  constructor(
    private readonly policy: OutagePolicy,
    private readonly options: {
      readonly log: GuardLog;
      readonly signal: AbortSignal;
      readonly onChange?: (available: boolean) => void;
      readonly now?: () => number;
      readonly random?: () => number;
    },
  ) {}

  get available(): boolean {
    return this.failingSince === undefined;
  }

  /** Why the warehouse is unavailable, while it is. */
  get problem(): string | undefined {
    return this.failingSince === undefined ? undefined : this.lastError?.message;
  }

  async run<T>(what: string, work: () => Promise<T>): Promise<T> {
    const now = this.options.now ?? Date.now;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await work();
        this.recovered();
        return result;
      } catch (raw) {
        const err = classify(raw);
        if (!err.retriable) throw err;
        const since = this.failing(err, now());
        const failedFor = now() - since;
        if (failedFor >= this.policy.maxOutageMs) {
          throw fatalError('WAREHOUSE_OUTAGE', `${what}: the warehouse has kept failing for ${Math.round(failedFor / 1000)} s: ${err.message}`, {
            cause: err,
            details: { lastCode: err.code, failedForMs: failedFor },
          });
        }
        if (this.options.signal.aborted) throw err;
        const delayMs = backoffDelay(attempt, this.policy, this.options.random);
        this.options.log.warn({ code: err.code, attempt, delayMs, failedForMs: failedFor }, `${what}: ${err.message}; retrying`);
        await sleep(delayMs, this.options.signal);
      }
    }
  }

  private failing(err: MeterlineError, at: number): number {
    this.lastError = err;
    if (this.failingSince === undefined) {
      this.failingSince = at;
      this.options.onChange?.(false);
    }
    return this.failingSince;
  }

  private recovered(): void {
    if (this.failingSince === undefined) return;
    const seconds = Math.round(((this.options.now ?? Date.now)() - this.failingSince) / 1000);
    this.failingSince = undefined;
    this.lastError = undefined;
    this.options.log.info({ outageSeconds: seconds }, 'the warehouse is available again');
    this.options.onChange?.(true);
  }
}
