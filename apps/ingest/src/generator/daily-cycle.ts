// Bound once, as in prng.ts: global lookups are slow inside Jest's sandbox.
const { floor, abs, max } = Math;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 1970-01-01 was a Thursday: day 0 has weekday 4 (0 = Sunday). */
const EPOCH_WEEKDAY = 4;
/** Weekend load is a fraction of a weekday's: a few people, the same batch jobs. */
const WEEKEND_FACTOR = 0.35;

/** 0 below 0, 1 above 1, a smooth S in between; a polynomial, so its bits are the same on every machine (see prng.ts). */
const smoothstep = (x: number) => (x <= 0 ? 0 : x >= 1 ? 1 : x * x * (3 - 2 * x));

/**
 * How busy the cluster is at an event time, 0 (idle) to 1 (peak), in UTC: ramps up 07:00–09:00, business hours until
 * 17:00, ramps down by 20:00; a nightly batch window peaks at 02:00 at 30 %; weekends run at 35 % of a weekday.
 */
export function activity(eventTimeMs: number): number {
  const inDay = ((eventTimeMs % DAY) + DAY) % DAY;
  const hour = inDay / HOUR;
  const business = smoothstep((hour - 7) / 2) * (1 - smoothstep((hour - 17) / 3));
  const batch = 0.3 * max(0, 1 - abs(hour - 2));
  const weekday = (floor(eventTimeMs / DAY) + EPOCH_WEEKDAY) % 7;
  const weekend = weekday === 0 || weekday === 6;
  return (weekend ? WEEKEND_FACTOR : 1) * business + batch;
}
