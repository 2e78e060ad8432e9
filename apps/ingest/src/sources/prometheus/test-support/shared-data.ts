import { readFileSync } from 'node:fs';
import { sharedData } from '@meterline/testing';

/** A real capture in ../shared/data/prometheus; see ../shared/data/README.md for where each file comes from. */
export const prometheusFile = (name: string): Buffer => readFileSync(sharedData('prometheus', name));

export const prometheusText = (name: string): string => prometheusFile(name).toString('utf8');

/** The remote-write request Prometheus 2.42 sent, with the headers it sent it with (lower-case names). */
export function capturedRemoteWrite(): { body: Buffer; headers: Record<string, string> } {
  const capture = 'remote-write/prometheus-2.42-rw1-request-1';
  const { headers } = JSON.parse(prometheusText(`${capture}.headers.json`)) as { headers: Record<string, string> };
  return { body: prometheusFile(`${capture}.snappy.pb`), headers };
}
