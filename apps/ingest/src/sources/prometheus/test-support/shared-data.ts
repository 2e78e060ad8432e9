import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The real captures in ../shared/data/prometheus (next to the repository, never copied into it). Specs that need
 * them read them from there; see ../shared/data/README.md for where each file comes from.
 */
export const PROMETHEUS_DATA = resolve(__dirname, '../../../../../../../shared/data/prometheus');

export function prometheusFile(name: string): Buffer {
  const path = join(PROMETHEUS_DATA, name);
  if (!existsSync(path)) throw new Error(`${path} is missing: these tests read the real captures in ../shared/data`);
  return readFileSync(path);
}

export const prometheusText = (name: string): string => prometheusFile(name).toString('utf8');

/** The remote-write request Prometheus 2.42 sent, with the headers it sent it with (lower-case names). */
export function capturedRemoteWrite(): { body: Buffer; headers: Record<string, string> } {
  const capture = 'remote-write/prometheus-2.42-rw1-request-1';
  const { headers } = JSON.parse(prometheusText(`${capture}.headers.json`)) as { headers: Record<string, string> };
  return { body: prometheusFile(`${capture}.snappy.pb`), headers };
}
