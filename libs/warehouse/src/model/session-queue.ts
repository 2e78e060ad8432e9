import { fatalError, type MeterlineError } from '@meterline/stream';

/**
 * One warehouse session (a DuckDB connection, a Snowflake session), used by one call at a time: a transaction belongs
 * to its session, and two batches interleaving in it would commit each other's rows. Calls queue; each failure leaves
 * classified by the backend's own rules, and the queue goes on with the next call.
 */
export class SessionQueue {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly classify: (err: unknown, what: string) => MeterlineError) {}

  run<T>(what: string, work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(fatalError('WAREHOUSE_CLOSED', `${what}: the warehouse is closed`));
    const run = this.queue.then(work, work).catch((err: unknown) => {
      throw this.classify(err, what);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Refuses further calls and waits for the one in flight; false when it was closed already. */
  async close(): Promise<boolean> {
    if (this.closed) return false;
    this.closed = true;
    await this.queue.catch(() => undefined);
    return true;
  }
}

/**
 * `work` between BEGIN and COMMIT; on any failure a ROLLBACK, whose own error is dropped: after a failed statement
 * the backend may have ended the transaction already (DuckDB aborts it; a lost Snowflake session takes it along), and
 * the original error is the one that says what happened.
 */
export async function inTransaction<T>(execute: (sql: string) => Promise<unknown>, work: () => Promise<T>): Promise<T> {
  await execute('BEGIN TRANSACTION');
  try {
    const result = await work();
    await execute('COMMIT');
    return result;
  } catch (err) {
    await execute('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
