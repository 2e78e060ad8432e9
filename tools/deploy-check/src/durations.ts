const UNIT_MS: Readonly<Record<string, number>> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A Go-style duration as compose (`stop_grace_period: 1m30s`) and Prometheus (`scrape_interval: 10s`) write them, in
 * milliseconds. Anything else is an error rather than a guess: a typo must not pass a check as "0".
 */
export function durationMs(text: string): number {
  const trimmed = text.trim();
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(us|ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed) {
    throw new Error(`not a duration: ${JSON.stringify(text)} (expected e.g. 10s, 1m30s, 500ms)`);
  }
  return parts.reduce((sum, [, value, unit]) => sum + Number(value) * (UNIT_MS[unit ?? ''] ?? NaN), 0);
}
