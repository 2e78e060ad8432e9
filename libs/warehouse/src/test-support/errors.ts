import { isMeterlineError, type MeterlineError } from '@meterline/stream';

/** The MeterlineError `fn` throws; fails the test when it throws nothing or something else. */
export function thrown(fn: () => unknown): MeterlineError {
  try {
    fn();
  } catch (err) {
    if (isMeterlineError(err)) return err;
    throw new Error(`expected a MeterlineError, got ${String(err)}`);
  }
  throw new Error('expected an error, nothing was thrown');
}

/** The MeterlineError a promise rejects with. */
export async function rejection(promise: Promise<unknown>): Promise<MeterlineError> {
  try {
    await promise;
  } catch (err) {
    if (isMeterlineError(err)) return err;
    throw new Error(`expected a MeterlineError, got ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
  throw new Error('expected a rejection, the promise resolved');
}
