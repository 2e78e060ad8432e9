/** What a replay reports, live and at the end. */
export interface ReplayCounts {
  read: number;
  produced: number;
  rejected: Map<string, number>;
}

const number = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * A progress bar with rate and ETA on a terminal; a plain line every `intervalMs` when the output is a log (CI, a
 * container), so a long replay is never silent and never floods the log.
 */
export function progressReporter(out: NodeJS.WriteStream, intervalMs = 5_000) {
  const started = performance.now();
  let lastLine = 0;
  return {
    update(counts: ReplayCounts, fraction: number | undefined, file: string): void {
      const elapsed = (performance.now() - started) / 1000;
      const rate = counts.read / Math.max(elapsed, 0.001);
      const eta = fraction !== undefined && fraction > 0 ? elapsed * ((1 - fraction) / fraction) : undefined;
      const rejected = [...counts.rejected.values()].reduce((a, b) => a + b, 0);
      const text = `${number(counts.read)} read, ${number(counts.produced)} produced, ${number(rejected)} rejected, ${number(rate)} rec/s${eta !== undefined ? `, ETA ${eta.toFixed(0)} s` : ''}`;
      if (out.isTTY) {
        const width = 24;
        const filled = fraction === undefined ? 0 : Math.round(Math.min(1, fraction) * width);
        out.write(`\r[${'='.repeat(filled)}${' '.repeat(width - filled)}] ${fraction === undefined ? '' : `${(fraction * 100).toFixed(0)}% `}${text}   `);
      } else if (performance.now() - lastLine >= intervalMs) {
        lastLine = performance.now();
        out.write(`replay ${file}: ${text}\n`);
      }
    },
    done(): void {
      if (out.isTTY) out.write('\n');
    },
  };
}

export function summary(counts: ReplayCounts, elapsedMs: number): string[] {
  const rejected = [...counts.rejected.entries()].sort((a, b) => b[1] - a[1]);
  const total = rejected.reduce((n, [, c]) => n + c, 0);
  return [
    `read      ${number(counts.read)}`,
    `produced  ${number(counts.produced)}`,
    `rejected  ${number(total)}${rejected.length ? ` (${rejected.map(([code, c]) => `${code} ${number(c)}`).join(', ')}; in the DLQ)` : ''}`,
    `elapsed   ${(elapsedMs / 1000).toFixed(1)} s`,
    `rate      ${number(counts.read / Math.max(elapsedMs / 1000, 0.001))} records/s`,
  ];
}
