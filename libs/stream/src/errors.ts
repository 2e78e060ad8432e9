/**
 * The error taxonomy every service shares. What happens to a failed record depends only on the kind:
 * - `poison`: this record can never succeed (bad bytes, failed validation). It goes to `<topic>.dlq`, then is committed.
 * - `transient`: the outside world is unwell (broker, registry or warehouse unreachable). Back off and retry, bounded,
 *   then fail loudly so the orchestrator restarts the process.
 * - `fatal`: a programming or configuration error. Never retried: retrying a bug only repeats it.
 */
export type ErrorKind = 'poison' | 'transient' | 'fatal';

export interface ErrorOptions {
  readonly cause?: unknown;
  /** Extra machine-readable facts (a field name, a limit) for logs and DLQ headers. */
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

export class MeterlineError extends Error {
  override readonly name = 'MeterlineError';
  readonly details: Readonly<Record<string, string | number | boolean>>;

  constructor(
    readonly kind: ErrorKind,
    /** Stable, UPPER_SNAKE identifier: DLQ headers, metric labels and alerts key on it, never on the message. */
    readonly code: string,
    message: string,
    options: ErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.details = Object.freeze({ ...options.details });
  }

  get retriable(): boolean {
    return this.kind === 'transient';
  }
}

export const poisonError = (code: string, message: string, options?: ErrorOptions) =>
  new MeterlineError('poison', code, message, options);

export const transientError = (code: string, message: string, options?: ErrorOptions) =>
  new MeterlineError('transient', code, message, options);

export const fatalError = (code: string, message: string, options?: ErrorOptions) =>
  new MeterlineError('fatal', code, message, options);

export const isMeterlineError = (err: unknown): err is MeterlineError => err instanceof MeterlineError;

/** Anything not already classified is treated as a bug: fatal, never retried. */
export function classify(err: unknown): MeterlineError {
  if (isMeterlineError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return fatalError('UNEXPECTED', message, { cause: err });
}
