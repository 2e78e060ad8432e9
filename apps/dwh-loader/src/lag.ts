/** The newest event time among loaded rows (epoch ms), or undefined for none; invalid times are ignored. */
export function newestEventTime<R>(records: readonly R[], eventTime: (record: R) => number): number | undefined {
  let newest: number | undefined;
  for (const record of records) {
    const t = eventTime(record);
    if (Number.isFinite(t) && (newest === undefined || t > newest)) newest = t;
  }
  return newest;
}

/**
 * End-to-end lag of a table: how far the newest event time it holds is behind the wall clock, in seconds. Computed
 * when scraped, so an idle loader's lag grows, as it should; never negative (a producer's clock may run ahead).
 */
export const lagSeconds = (nowMs: number, newestMs: number): number => Math.max(0, (nowMs - newestMs) / 1000);
