import { poisonError } from '@meterline/stream';

/**
 * Kubernetes resource quantities (k8s.io/apimachinery `resource.Quantity`) as plain numbers: CPU in cores, memory in
 * bytes. The grammar, from quantity.go:
 *
 *   quantity ::= [+-] number suffix
 *   number   ::= digits | digits "." digits | digits "." | "." digits
 *   suffix   ::= binarySI (Ki Mi Gi Ti Pi Ei) | "e" integer | "E" integer | decimalSI (n u m "" k M G T P E)
 *
 * Suffixes are case-sensitive: `m` is milli and `M` mega, `k` is kilo and `K` is not a suffix at all. "1E" is exa while
 * "1E3" is an exponent. `n` and `u` are not in the documented grammar, but the parser accepts them and metrics-server
 * writes CPU usage in nanocores (`152837612n`), so they are read here too.
 */
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei)|[eE]([+-]?\d+)|(n|u|m|k|M|G|T|P|E)?)$/;

const DECIMAL_EXPONENT: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_POWER: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** Code of the error `parseQuantity` throws; also the rejection reason of a sample carrying such a quantity. */
export const BAD_QUANTITY = 'VALIDATION_BAD_QUANTITY';

const EXPECTED = 'expected a number with an optional suffix (n u m k M G T P E, Ki Mi Gi Ti Pi Ei) or exponent (1e3)';

/**
 * The value of a quantity: `250m` → 0.25, `1500n` → 0.0000015, `512Mi` → 536870912, `1e3` → 1000.
 * Throws a poison `VALIDATION_BAD_QUANTITY` error for anything else: a record carrying it can never succeed.
 */
export function parseQuantity(text: string): number {
  const m = QUANTITY.exec(text);
  const mantissa = m?.[1];
  if (m === null || mantissa === undefined) {
    throw poisonError(BAD_QUANTITY, `not a Kubernetes quantity: ${JSON.stringify(text.slice(0, 64))} (${EXPECTED})`, {
      details: { quantity: text.slice(0, 64) },
    });
  }
  const [, , binary, exponent, decimal] = m;
  // The decimal scale goes into the text that Number() parses, so `1500n` is read as the decimal 1500e-9 and rounded
  // once, instead of 1500 * 1e-9 collecting a second rounding error (0.0000015000000000000002). A power of two scales
  // a double exactly, so binary suffixes can multiply.
  const value =
    binary !== undefined
      ? Number(mantissa) * 2 ** (BINARY_POWER[binary] ?? 0)
      : Number(`${mantissa}e${exponent ?? DECIMAL_EXPONENT[decimal ?? ''] ?? 0}`);
  if (!Number.isFinite(value)) {
    throw poisonError(BAD_QUANTITY, `Kubernetes quantity ${JSON.stringify(text.slice(0, 64))} is out of range`, {
      details: { quantity: text.slice(0, 64) },
    });
  }
  return value;
}
