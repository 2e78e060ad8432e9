import { summarize, type LatencySummary } from '../stats';

export interface HttpLoadResult {
  readonly requests: number;
  readonly records: number;
  readonly ms: number;
  readonly recordsPerSec: number;
  readonly latency: LatencySummary;
  /** Status codes other than 200, by code: a correct run has none. */
  readonly failures: Readonly<Record<string, number>>;
}

/**
 * `clients` connections each POST the next body as soon as their previous request was answered (closed loop), until
 * `requests` were sent. Latency is per request, from send to the complete answer: with ingest, that includes the
 * Kafka commit of the request's records.
 */
export async function httpLoad(
  url: string,
  bodies: readonly string[],
  recordsPerBody: number,
  requests: number,
  clients: number,
): Promise<HttpLoadResult> {
  let next = 0;
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const client = async () => {
    while (next < requests) {
      const body = bodies[next++ % bodies.length] ?? '';
      const started = performance.now();
      const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
      if (response.status !== 200) failures[response.status] = (failures[response.status] ?? 0) + 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, client));
  const ms = performance.now() - started;
  const records = requests * recordsPerBody;
  return { requests, records, ms, recordsPerSec: Math.round((records / ms) * 1000), latency: summarize(latencies), failures };
}

/**
 * Open loop: a request every 1/rate s whatever the answers do, as independent clients would send them. Unlike the
 * closed loop, latency here is not inflated by the load generator's own queue (Little's law: 8 closed-loop clients of
 * 500 records at 20k records/s wait 200 ms on average whatever the service does), so this is the figure to hold
 * against a latency target at a given throughput.
 */
export async function httpOpenLoop(
  url: string,
  bodies: readonly string[],
  recordsPerBody: number,
  requestsPerSecond: number,
  durationMs: number,
): Promise<HttpLoadResult> {
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  const total = Math.round((requestsPerSecond * durationMs) / 1000);
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / requestsPerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const body = bodies[i % bodies.length] ?? '';
    const sent = performance.now();
    inFlight.push(
      fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } }).then(async (response) => {
        await response.arrayBuffer();
        latencies.push(performance.now() - sent);
        if (response.status !== 200) failures[response.status] = (failures[response.status] ?? 0) + 1;
      }),
    );
  }
  await Promise.all(inFlight);
  const ms = performance.now() - started;
  const records = total * recordsPerBody;
  return { requests: total, records, ms, recordsPerSec: Math.round((records / ms) * 1000), latency: summarize(latencies), failures };
}
