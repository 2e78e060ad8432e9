import { parseConsumerPerf, parseProducerPerf } from './perf-output';

// Verbatim output of Kafka 3.9.1's tools on the local stack (stdout only; log4j's warnings go to stderr).
const producerOutput = `129427 records sent, 25695.3 records/sec (4.90 MB/sec), 852.9 ms avg latency, 1849.0 ms max latency.
500000 records sent, 53236.797274 records/sec (10.15 MB/sec), 1120.65 ms avg latency, 2451.00 ms max latency, 889 ms 50th, 2284 ms 95th, 2358 ms 99th, 2435 ms 99.9th.
`;

const consumerOutput = `start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
2026-11-22 00:52:49:155, 2026-11-22 00:52:50:919, 95.3674, 54.0632, 500000, 283446.7120, 569, 1195, 79.8054, 418410.0418
`;

describe('parseProducerPerf', () => {
  it('reads the summary line, not the progress lines before it', () => {
    expect(parseProducerPerf(producerOutput)).toEqual({
      records: 500000,
      recordsPerSec: 53236.797274,
      mbPerSec: 10.15,
      avgLatencyMs: 1120.65,
      maxLatencyMs: 2451,
      p50Ms: 889,
      p95Ms: 2284,
      p99Ms: 2358,
      p999Ms: 2435,
    });
  });

  it('fails with the output when there is no summary line', () => {
    const progressOnly = producerOutput.split('\n')[0] ?? '';
    expect(() => parseProducerPerf(progressOnly)).toThrow(/no ProducerPerformance summary line[\s\S]*129427 records sent/);
  });
});

describe('parseConsumerPerf', () => {
  it('reads the columns by their header names', () => {
    expect(parseConsumerPerf(consumerOutput)).toEqual({
      records: 500000,
      recordsPerSec: 283446.712,
      fetchRecordsPerSec: 418410.0418,
      mbPerSec: 54.0632,
      rebalanceMs: 569,
      fetchMs: 1195,
    });
  });

  it('fails when a column it needs has gone', () => {
    const renamed = consumerOutput.replace('fetch.nMsg.sec', 'fetch.records.sec');
    expect(() => parseConsumerPerf(renamed)).toThrow('column fetch.nMsg.sec missing');
  });

  it('fails when there is no result row', () => {
    expect(() => parseConsumerPerf('WARNING: Exiting before consuming the expected number of messages\n')).toThrow(
      'no ConsumerPerformance result',
    );
  });
});
