/**
 * A seeded pseudo-random generator, written here rather than taken from a package so that the bytes of a generated
 * dataset depend on nothing but the seed: xoshiro128** (Blackman and Vigna), seeded through splitmix32.
 *
 * Only 32-bit integer operations (Math.imul, shifts) and exact floating-point arithmetic are used, here and in every
 * consumer of these numbers: ECMAScript leaves Math.sin, Math.exp, Math.log and friends "implementation-approximated",
 * so their last bits may differ between engines and versions, and a dataset built on them could not promise the same
 * bytes on every machine.
 */
export interface Rng {
  /** A uniform 32-bit unsigned integer. */
  next(): number;
  /** Uniform in [0, 1), with 32 bits of resolution. */
  float(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform integer in [min, max], both inclusive. */
  intBetween(min: number, max: number): number;
  /** Uniform in [min, max). */
  between(min: number, max: number): number;
  /** Approximately standard normal (Irwin–Hall: four uniforms), bounded to ±3.46; needs no logarithm or cosine. */
  normal(): number;
}

// Bound once: under Jest's sandbox every lookup of a global costs about a microsecond, which made the generator
// thirty times slower in tests than in production. (Plain Node does not care either way.)
const { imul, floor } = Math;

const TWO_POW_32 = 4_294_967_296;
/** √3: scales a sum of four uniforms (variance 4/12) to unit variance. */
const SQRT_3 = 1.7320508075688772;

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

function splitmix32(state: number): { value: number; state: number } {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = imul(z ^ (z >>> 16), 0x85ebca6b);
  z = imul(z ^ (z >>> 13), 0xc2b2ae35);
  return { value: (z ^ (z >>> 16)) >>> 0, state: next };
}

/** FNV-1a over UTF-16 code units: turns a stream name into 32 bits to mix into the seed. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** xoshiro128** from four 32-bit words of state (not all zero), exactly as the reference C implementation. */
export function xoshiro128StarStar(state: readonly [number, number, number, number]): Rng {
  let [s0, s1, s2, s3] = state.map((w) => w | 0) as [number, number, number, number];
  // The one forbidden state: the generator would emit zeros for ever.
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;

  const next = (): number => {
    const result = imul(rotl(imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  const float = () => next() / TWO_POW_32;
  return {
    next,
    float,
    int: (n) => floor(float() * n),
    intBetween: (min, max) => min + floor(float() * (max - min + 1)),
    between: (min, max) => min + float() * (max - min),
    normal: () => (float() + float() + float() + float() - 2) * SQRT_3,
  };
}

/**
 * A generator for one named stream of one seed. Separate streams (`nodes`, `values`, `quirks`) keep concerns
 * independent: raising the duplicate rate changes which samples are duplicated, not the measured values.
 */
export function createRng(seed: number, stream: string): Rng {
  let mix = (seed ^ fnv1a(stream)) | 0;
  const words: [number, number, number, number] = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) {
    const r = splitmix32(mix);
    mix = r.state;
    words[i] = r.value;
  }
  return xoshiro128StarStar(words);
}
