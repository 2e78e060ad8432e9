/** What Kafka 3.9's ProducerPerformance reports in its last line. Latencies are send → acknowledgement, in ms. */
export interface ProducerPerfSummary {
  readonly records: number;
  readonly recordsPerSec: number;
  readonly mbPerSec: number;
  readonly avgLatencyMs: number;
  readonly maxLatencyMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
}

/**
 * ProducerPerformance prints a progress line every 5 s and, at the end, one summary line:
 * `500000 records sent, 53236.797274 records/sec (10.15 MB/sec), 1120.65 ms avg latency, 2451.00 ms max latency,
 * 889 ms 50th, 2284 ms 95th, 2358 ms 99th, 2435 ms 99.9th.` — only that one carries percentiles.
 */
export function parseProducerPerf(stdout: string): ProducerPerfSummary {
  const n = '([\\d.]+)';
  const summary = new RegExp(
    `${n} records sent, ${n} records/sec \\(${n} MB/sec\\), ${n} ms avg latency, ${n} ms max latency, ` +
      `${n} ms 50th, ${n} ms 95th, ${n} ms 99th, ${n} ms 99.9th`,
  );
  const m = summary.exec(stdout);
  if (!m) throw new Error(`no ProducerPerformance summary line in its output:\n${stdout}`);
  // Every group is a required number in the pattern, so Number() never sees undefined here.
  const at = (group: number): number => Number(m[group]);
  return {
    records: at(1),
    recordsPerSec: at(2),
    mbPerSec: at(3),
    avgLatencyMs: at(4),
    maxLatencyMs: at(5),
    p50Ms: at(6),
    p95Ms: at(7),
    p99Ms: at(8),
    p999Ms: at(9),
  };
}

/** What Kafka 3.9's ConsumerPerformance reports (without --show-detailed-stats). */
export interface ConsumerPerfSummary {
  readonly records: number;
  /** `nMsg.sec`: over the whole run, group join included. */
  readonly recordsPerSec: number;
  /** `fetch.nMsg.sec`: over the time after the group join (the assignment), the consuming proper. */
  readonly fetchRecordsPerSec: number;
  readonly mbPerSec: number;
  readonly rebalanceMs: number;
  readonly fetchMs: number;
}

/**
 * ConsumerPerformance prints a CSV-ish header and one row:
 * `start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms,
 * fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec`. Columns are looked up by name, so a reordering cannot go unnoticed.
 */
export function parseConsumerPerf(stdout: string): ConsumerPerfSummary {
  const lines = stdout.split('\n').map((l) => l.trim());
  const headerAt = lines.findIndex((l) => l.startsWith('start.time,'));
  const header = lines[headerAt]?.split(',').map((c) => c.trim());
  const row = lines[headerAt + 1]?.split(',').map((c) => c.trim());
  if (headerAt < 0 || !header || !row || row.length !== header.length) {
    throw new Error(`no ConsumerPerformance result in its output:\n${stdout}`);
  }
  const column = (name: string): number => {
    const value = Number(row[header.indexOf(name)]);
    if (!Number.isFinite(value)) throw new Error(`ConsumerPerformance column ${name} missing or not a number:\n${stdout}`);
    return value;
  };
  return {
    records: column('data.consumed.in.nMsg'),
    recordsPerSec: column('nMsg.sec'),
    fetchRecordsPerSec: column('fetch.nMsg.sec'),
    mbPerSec: column('MB.sec'),
    rebalanceMs: column('rebalance.time.ms'),
    fetchMs: column('fetch.time.ms'),
  };
}
