export type Detected =
  | { readonly kind: 'parquet' | 'gzip' | 'ndjson' | 'csv' }
  | { readonly kind: 'unsupported'; readonly what: string }
  /** Only blank bytes so far: a longer prefix decides. */
  | { readonly kind: 'undecided' };

const startsWith = (bytes: Uint8Array, magic: readonly number[]) => magic.every((b, i) => bytes[i] === b);

/** Magic numbers of containers this reader does not open, so they are named instead of being read as CSV garbage. */
const UNSUPPORTED: readonly (readonly [string, readonly number[]])[] = [
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zip', [0x50, 0x4b, 0x03, 0x04]],
  ['Arrow IPC', [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]],
];

const PAR1 = [0x50, 0x41, 0x52, 0x31];
const GZIP = [0x1f, 0x8b];
const BOM = [0xef, 0xbb, 0xbf];
const BLANK = new Set([0x20, 0x09, 0x0a, 0x0d]);
const OPEN_BRACE = 0x7b;

/**
 * The format from the first bytes, never from the file name: Parquet files start with `PAR1`, gzip with 1f 8b;
 * otherwise text whose first non-blank character (after a UTF-8 byte-order mark) is `{` is NDJSON, anything else
 * CSV. `complete` says the prefix is the whole file, so an all-blank prefix is an empty CSV rather than undecided.
 */
export function detectFormat(prefix: Uint8Array, complete: boolean): Detected {
  if (startsWith(prefix, PAR1)) return { kind: 'parquet' };
  if (startsWith(prefix, GZIP)) return { kind: 'gzip' };
  for (const [what, magic] of UNSUPPORTED) if (startsWith(prefix, magic)) return { kind: 'unsupported', what };
  let i = startsWith(prefix, BOM) ? BOM.length : 0;
  while (i < prefix.length && BLANK.has(prefix[i] as number)) i++;
  if (i < prefix.length) return { kind: prefix[i] === OPEN_BRACE ? 'ndjson' : 'csv' };
  return complete ? { kind: 'csv' } : { kind: 'undecided' };
}
