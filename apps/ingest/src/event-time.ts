/** The earliest and latest event times accepted: anything outside is a unit mix-up, not a measurement. */
const MIN_MS = 0;
const MAX_MS = Date.UTC(2200, 0, 1);

export type EventTimeResult = { readonly ok: true; readonly ms: number } | { readonly ok: false; readonly reason: string };

/**
 * Epoch numbers carry no unit, so the magnitude tells: today is ~1.7e9 s, ~1.7e12 ms, ~1.7e15 µs, ~1.7e18 ns. The
 * boundaries sit three orders of magnitude apart, so any time between 1973 and 5138 is read correctly.
 */
function epochToMs(n: number): number {
  const abs = Math.abs(n);
  if (abs < 1e11) return n * 1e3;
  if (abs < 1e14) return n;
  if (abs < 1e17) return n / 1e3;
  return n / 1e6;
}

// ISO-8601 / RFC 3339, with "T" or a space between date and time (CSV exports use the space), optional seconds and
// fraction, and an optional zone; without a zone the time is taken as UTC, as metric exports mean it.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const NUMERIC = /^[+-]?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i;

function isoToMs(text: string): number | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  let ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0').slice(0, 3)));
  if (new Date(ms).getUTCDate() !== day) return undefined; // 2024-02-30 and the like
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms;
}

/** Event time in epoch milliseconds from an ISO-8601 string or an epoch number (s, ms, µs or ns) of any type. */
export function parseEventTime(value: unknown): EventTimeResult {
  let ms: number | undefined;
  if (typeof value === 'number') ms = Number.isFinite(value) ? epochToMs(value) : undefined;
  else if (typeof value === 'bigint') ms = epochToMs(Number(value));
  else if (typeof value === 'string') {
    const text = value.trim();
    ms = NUMERIC.test(text) ? epochToMs(Number(text)) : isoToMs(text);
  } else if (value instanceof Date) ms = value.getTime();
  if (ms === undefined || !Number.isFinite(ms)) {
    return { ok: false, reason: `not a timestamp (ISO-8601 or epoch s/ms/µs/ns): ${describe(value)}` };
  }
  if (ms < MIN_MS || ms >= MAX_MS) {
    return { ok: false, reason: `timestamp ${describe(value)} is outside 1970..2200` };
  }
  return { ok: true, ms: Math.floor(ms) };
}

const describe = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v.slice(0, 64)) : String(v));
