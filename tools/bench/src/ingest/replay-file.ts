import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { sampleRecord } from '../sample-records';

export interface ReplayResult {
  readonly records: number;
  /** As the CLI measured it: from its first read to its last commit (process start and connecting excluded). */
  readonly ms: number;
  readonly recordsPerSec: number;
}

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/**
 * Writes `count` bench records as NDJSON (Meterline's own JSON shape) and replays the file with the built CLI, as a
 * user would: read, validate, encode, and commit in transactions, one at a time to keep the file's order.
 */
export async function replayFile(count: number, env: Record<string, string>): Promise<ReplayResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'meterline-bench-replay-'));
  try {
    const file = path.join(dir, 'metrics.ndjson');
    const lines: string[] = [];
    for (let i = 0; i < count; i++) {
      const { value } = sampleRecord(i);
      lines.push(JSON.stringify({ ...value, event_time: new Date(value.event_time).toISOString() }));
    }
    writeFileSync(file, `${lines.join('\n')}\n`);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(REPO_ROOT, 'dist/apps/ingest/cli.js'), 'replay', file, '--mapping', 'native-metrics'],
      { env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', ...env }, maxBuffer: 16 * 1024 * 1024 },
    );
    const read = Number(/^read\s+([\d,]+)/m.exec(stdout)?.[1]?.replace(/,/g, ''));
    const seconds = Number(/^elapsed\s+([\d.]+) s/m.exec(stdout)?.[1]);
    if (read !== count || !Number.isFinite(seconds)) throw new Error(`unexpected replay summary:\n${stdout}`);
    return { records: read, ms: seconds * 1000, recordsPerSec: Math.round(read / seconds) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
