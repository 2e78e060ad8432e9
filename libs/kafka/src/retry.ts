import { classify, fatalError, type MeterlineError } from '@meterline/stream';

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  readonly attempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, initialDelayMs: 200, maxDelayMs: 10_000 };

/**
 * Runs `fn`, retrying only transient failures with capped exponential backoff and jitter (so that many instances
 * recovering from one outage do not retry in lock-step). Poison and fatal errors are rethrown at once. When the
 * attempts run out, the last error is rethrown as fatal: the caller fails loudly and the orchestrator restarts it.
 * An aborted signal ends the wait early and rethrows, so a shutdown is never held up by a backoff.
 */
export async function withRetry<T>(
  what: string,
  fn: () => Promise<T>,
  policy: RetryPolicy,
  options: { signal?: AbortSignal; onRetry?: (err: MeterlineError, attempt: number, delayMs: number) => void } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (raw) {
      const err = classify(raw);
      if (!err.retriable) throw err;
      if (attempt >= policy.attempts || options.signal?.aborted) {
        throw fatalError('RETRIES_EXHAUSTED', `${what} still failing after ${attempt} attempts: ${err.message}`, {
          cause: err,
          details: { attempts: attempt, lastCode: err.code },
        });
      }
      const cap = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.round(cap / 2 + (Math.random() * cap) / 2);
      options.onRetry?.(err, attempt, delayMs);
      await sleep(delayMs, options.signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
