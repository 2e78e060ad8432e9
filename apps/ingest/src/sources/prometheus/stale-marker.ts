/**
 * When a series disappears (its target is gone, or a scrape no longer exposes it), Prometheus appends one sample whose
 * value is a NaN with a fixed payload, 0x7ff0000000000002 (`value.StaleNaN` in prometheus/model/value), and remote
 * write forwards it. It is an end-of-series signal, not a measurement. An ordinary NaN (Go's `math.NaN()` is
 * 0x7ff8000000000001) is a measurement that happens not to be a number.
 *
 * JavaScript does not promise to keep a NaN's payload once it is a `number`, so the test is made on the raw 64 bits as
 * they come off the wire. The text exposition formats cannot express the marker at all.
 */
export const STALE_MARKER_BITS = 0x7ff0000000000002n;

export const isStaleMarker = (bits: bigint): boolean => bits === STALE_MARKER_BITS;

const scratch = new DataView(new ArrayBuffer(8));

/** The IEEE-754 double with these bits. */
export function doubleFromBits(bits: bigint): number {
  scratch.setBigUint64(0, bits);
  return scratch.getFloat64(0);
}
