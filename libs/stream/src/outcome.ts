import type { MeterlineError } from './errors';

/**
 * What one step did with one record. A step never throws for a bad record: it returns `poison`, so the runner can
 * dead-letter that record and carry on with the rest of the batch.
 */
export type Outcome<T> =
  /** Forward zero or more values to the next step (zero is a filter, more than one a fan-out). */
  | { readonly kind: 'ok'; readonly values: readonly T[] }
  /** Deliberately not forwarded (a duplicate, say). Counted by reason, never silent. */
  | { readonly kind: 'skip'; readonly reason: string }
  /** The record can never be processed: it goes to the dead-letter topic with this error. */
  | { readonly kind: 'poison'; readonly error: MeterlineError };

export const ok = <T>(value: T): Outcome<T> => ({ kind: 'ok', values: [value] });
export const many = <T>(values: readonly T[]): Outcome<T> => ({ kind: 'ok', values });
export const skip = <T = never>(reason: string): Outcome<T> => ({ kind: 'skip', reason });
export const poison = <T = never>(error: MeterlineError): Outcome<T> => ({ kind: 'poison', error });
