/** What a readiness check answers: a plain verdict, or a verdict with a word on why. */
export type CheckResult = boolean | { readonly ok: boolean; readonly detail?: string };

/**
 * A named question "can this process do its work right now?" (broker connected, metadata table restored, lag under
 * target). It may throw; a throw counts as not ready. `signal` aborts when the check has timed out, so a check that
 * makes a request can cancel it instead of leaking it.
 */
export type ReadinessCheck = (signal: AbortSignal) => CheckResult | Promise<CheckResult>;

export interface CheckReport {
  readonly name: string;
  readonly status: 'ok' | 'fail';
  readonly detail?: string;
  readonly durationMs: number;
}

/** The body of `/readyz`. */
export interface ReadinessReport {
  readonly status: 'ready' | 'not_ready' | 'shutting_down';
  readonly checks: readonly CheckReport[];
}

export interface Health {
  addReadinessCheck(name: string, check: ReadinessCheck): void;
  /** From now on the process reports not ready, so load balancers and Services stop sending it work. One-way. */
  setShuttingDown(): void;
  readonly shuttingDown: boolean;
  /** Runs every check concurrently, each bounded by the check timeout. */
  checkReadiness(): Promise<ReadinessReport>;
}

export interface HealthOptions {
  /** Per-check limit; below the usual probe timeout so `/readyz` answers before the prober gives up. Default 2000. */
  readonly checkTimeoutMs?: number;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 2000;

/**
 * Readiness only. Liveness (`/healthz`) deliberately has no checks: restarting a process cannot fix an unreachable
 * broker, so broker trouble must make the pod unready, never get it killed. With no checks registered the process is
 * ready as soon as it serves HTTP.
 */
export function createHealth({ checkTimeoutMs = DEFAULT_CHECK_TIMEOUT_MS }: HealthOptions = {}): Health {
  const checks = new Map<string, ReadinessCheck>();
  let shuttingDown = false;

  return {
    addReadinessCheck(name, check) {
      if (name.length === 0) throw new Error('a readiness check needs a name');
      if (checks.has(name)) throw new Error(`readiness check "${name}" is already registered`);
      checks.set(name, check);
    },
    setShuttingDown() {
      shuttingDown = true;
    },
    get shuttingDown() {
      return shuttingDown;
    },
    async checkReadiness() {
      // Checks are skipped while shutting down: they would probe clients that are being closed on purpose.
      if (shuttingDown) return { status: 'shutting_down', checks: [] };
      const reports = await Promise.all([...checks].map(([name, check]) => runCheck(name, check, checkTimeoutMs)));
      return { status: reports.every((r) => r.status === 'ok') ? 'ready' : 'not_ready', checks: reports };
    },
  };
}

async function runCheck(name: string, check: ReadinessCheck, timeoutMs: number): Promise<CheckReport> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`timed out after ${timeoutMs} ms`));
      resolve({ ok: false, detail: `timed out after ${timeoutMs} ms` });
    }, timeoutMs);
  });
  let result: CheckResult;
  try {
    // Promise.resolve().then turns a synchronous throw into a rejection like an asynchronous one.
    result = await Promise.race([Promise.resolve().then(() => check(controller.signal)), timedOut]);
  } catch (err) {
    result = { ok: false, detail: err instanceof Error ? err.message : String(err) };
  } finally {
    clearTimeout(timer);
  }
  const durationMs = Math.round(performance.now() - started);
  const { ok, detail } = typeof result === 'boolean' ? { ok: result, detail: undefined } : result;
  return { name, status: ok === true ? 'ok' : 'fail', ...(detail === undefined ? {} : { detail }), durationMs };
}
