import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('resolves with the first truthy value', async () => {
    let calls = 0;
    await expect(waitFor(() => (++calls >= 3 ? `ready after ${calls}` : undefined), { intervalMs: 1 })).resolves.toBe(
      'ready after 3',
    );
  });

  it('awaits async probes', async () => {
    let calls = 0;
    await expect(waitFor(async () => ++calls === 2, { intervalMs: 1 })).resolves.toBe(true);
  });

  it('times out with the message, computed only then', async () => {
    const message = jest.fn(() => 'the broker');
    await expect(waitFor(() => false, { timeoutMs: 30, intervalMs: 5, message })).rejects.toThrow(
      'timed out after 30 ms waiting for the broker',
    );
    expect(message).toHaveBeenCalledTimes(1);
  });

  it('stops at once when the probe throws', async () => {
    const started = Date.now();
    await expect(
      waitFor(
        () => {
          throw new Error('process exited');
        },
        { timeoutMs: 5_000 },
      ),
    ).rejects.toThrow('process exited');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
