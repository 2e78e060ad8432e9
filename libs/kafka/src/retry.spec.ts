import { fatalError, poisonError, transientError } from '@meterline/stream';
import { withRetry } from './retry';

const fast = { attempts: 4, initialDelayMs: 1, maxDelayMs: 2 };

describe('withRetry', () => {
  it('retries transient failures until one attempt succeeds', async () => {
    let calls = 0;
    const retries: number[] = [];
    const result = await withRetry(
      'op',
      async () => {
        calls++;
        if (calls < 3) throw transientError('DOWN', 'down');
        return 'done';
      },
      fast,
      { onRetry: (_err, attempt) => retries.push(attempt) },
    );
    expect(result).toBe('done');
    expect(calls).toBe(3);
    expect(retries).toEqual([1, 2]);
  });

  it('gives up after the last attempt with a fatal error that keeps the last cause', async () => {
    let calls = 0;
    const failure = withRetry(
      'op',
      async () => {
        calls++;
        throw transientError('DOWN', 'still down');
      },
      fast,
    );
    await expect(failure).rejects.toMatchObject({ code: 'RETRIES_EXHAUSTED', kind: 'fatal', details: { lastCode: 'DOWN' } });
    expect(calls).toBe(4);
  });

  it.each([
    ['poison', poisonError('BAD', 'bad record')],
    ['fatal', fatalError('BUG', 'bug')],
    ['unclassified', new TypeError('undefined is not a function')],
  ])('never retries a %s error', async (_kind, error) => {
    let calls = 0;
    await expect(
      withRetry(
        'op',
        async () => {
          calls++;
          throw error;
        },
        fast,
      ),
    ).rejects.toBeDefined();
    expect(calls).toBe(1);
  });

  it('stops waiting as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const slow = { attempts: 10, initialDelayMs: 60_000, maxDelayMs: 60_000 };
    const started = Date.now();
    const failure = withRetry(
      'op',
      async () => {
        throw transientError('DOWN', 'down');
      },
      slow,
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 20);
    await expect(failure).rejects.toMatchObject({ code: 'RETRIES_EXHAUSTED' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
