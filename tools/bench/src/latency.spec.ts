import { relayLatency } from './latency';

describe('relayLatency', () => {
  it('pairs records by sequence number, whatever order they were read in', () => {
    const source = new Map([
      [1, 1_000],
      [2, 1_010],
      [3, 1_020],
    ]);
    const target = new Map([
      [3, 1_026],
      [1, 1_004],
      [2, 1_015],
    ]);
    expect(relayLatency(source, target)).toMatchObject({ count: 3, p50Ms: 5, maxMs: 6, missing: 0 });
  });

  it('counts source records that never reached the target instead of ignoring them', () => {
    const result = relayLatency(new Map([[1, 0], [2, 0]]), new Map([[1, 3]]));
    expect(result).toMatchObject({ count: 1, missing: 1 });
  });
});
