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
