import { splitIntoRequests } from './send-in-requests';

const message = (bytes: number) => ({ key: Buffer.alloc(0), value: Buffer.alloc(bytes - 64) });

describe('splitIntoRequests', () => {
  it('keeps every message, in order, and no request above the bound', () => {
    const batches = [
      { topic: 'a', messages: Array.from({ length: 25 }, () => message(100)) },
      { topic: 'b', messages: Array.from({ length: 10 }, () => message(300)) },
    ];
    const requests = splitIntoRequests(batches, 1_000);
    for (const r of requests) expect(r.flatMap((b) => b.messages).reduce((n, m) => n + (m.value?.length ?? 0) + 64, 0)).toBeLessThanOrEqual(1_000);
    const flat = requests.flat();
    expect(flat.filter((b) => b.topic === 'a').flatMap((b) => b.messages)).toEqual(batches[0]?.messages);
    expect(flat.filter((b) => b.topic === 'b').flatMap((b) => b.messages)).toEqual(batches[1]?.messages);
    expect(requests.length).toBe(Math.ceil((25 * 100 + 10 * 300) / 1_000));
  });

  it('sends a message bigger than the bound alone rather than never', () => {
    expect(splitIntoRequests([{ topic: 't', messages: [message(100), message(5_000), message(100)] }], 1_000).map((r) => r[0]?.messages.length)).toEqual([1, 1, 1]);
  });
});
