import { spawn } from 'node:child_process';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** Runs the built ingest CLI (`node dist/apps/ingest/cli.js ...`); resolves with its stdout. */
export function runIngestCli(args: readonly string[], env: Readonly<Record<string, string>>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'apps', 'ingest', 'cli.js'), ...args], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`ingest ${args.join(' ')} exited with ${code}`))));
  });
}

/** The samples of a Prometheus counter or gauge family in a /metrics text, summed by one label's value. */
export function sumByLabel(text: string, family: string, label: string): Map<string, number> {
  const sums = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${family}{`)) continue;
    const value = new RegExp(`${label}="([^"]*)"`).exec(line)?.[1] ?? '';
    sums.set(value, (sums.get(value) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return sums;
}

export interface PipelineFigures {
  readonly enriched: number;
  readonly aggregates: number;
  /** Samples enrichment still holds back waiting for their node's metadata (they go on at the hold timeout). */
  readonly held: number;
  readonly warehouseRows: ReadonlyMap<string, number>;
}

/** What enrichment produced and dwh-loader loaded, from their /metrics. */
export async function pipelineFigures(enrichmentUrl: string, loaderUrl: string): Promise<PipelineFigures> {
  const [e, l] = await Promise.all([enrichmentUrl, loaderUrl].map(async (u) => (await fetch(`${u}/metrics`)).text()));
  const produced = sumByLabel(e ?? '', 'records_produced_total', 'topic');
  const count = (suffix: string) => [...produced].filter(([t]) => t.endsWith(suffix)).reduce((n, [, v]) => n + v, 0);
  return {
    enriched: count('metrics.node.enriched.v1'),
    aggregates: count('metrics.node.agg.v1'),
    held: [...sumByLabel(e ?? '', 'enrichment_held_samples', 'service').values()].reduce((a, b) => a + b, 0),
    warehouseRows: sumByLabel(l ?? '', 'warehouse_rows_loaded_total', 'table'),
  };
}
