import { uncompress } from 'snappyjs';

/**
 * Snappy block format (google/snappy format_description.txt), which remote write uses; the framed "stream" format of
 * `snappy -c` is a different thing. Layout:
 *
 *   preamble  the uncompressed length, an unsigned varint (at most 2^32 - 1)
 *   elements  until the input ends; the low 2 bits of each tag byte give the kind:
 *     00 literal   length-1 in the upper 6 bits; 60..63 there mean length-1 follows in 1..4 little-endian bytes;
 *                  then that many bytes, copied to the output
 *     01 copy      length-4 in bits 2..4 (4..11); offset = bits 5..7 as the high byte, then 1 byte
 *     10 copy      length-1 in the upper 6 bits; offset in the next 2 bytes, little-endian
 *     11 copy      length-1 in the upper 6 bits; offset in the next 4 bytes, little-endian
 *   A copy repeats `length` bytes starting `offset` bytes back in the output, so 1 <= offset <= bytes produced so far.
 *
 * snappyjs 0.7.0 decompresses but checks neither that the elements produce exactly the preamble's length (a body cut
 * at an element boundary comes back zero-padded, a longer one silently cut) nor that a copy's offset bytes exist. So the
 * element stream is walked here first, without copying, and only a consistent stream is handed to snappyjs.
 */
export type SnappyCheck = { readonly ok: true; readonly length: number } | { readonly ok: false; readonly reason: string };

const MAX_PREAMBLE_BYTES = 5;

/** The uncompressed length the preamble announces, or a reason it has none. */
export function snappyLength(input: Uint8Array): SnappyCheck {
  let length = 0;
  for (let i = 0; i < MAX_PREAMBLE_BYTES; i++) {
    const byte = input[i];
    if (byte === undefined) return { ok: false, reason: input.length === 0 ? 'empty body' : 'truncated length preamble' };
    length += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) {
      return length > 0xffffffff ? { ok: false, reason: 'length preamble above 2^32' } : { ok: true, length };
    }
  }
  return { ok: false, reason: 'length preamble longer than 5 bytes' };
}

const preambleSize = (input: Uint8Array): number => {
  let i = 0;
  while ((input[i] ?? 0) >= 0x80) i++;
  return i + 1;
};

/** Checks that every element is complete, every copy points into what was produced, and the total matches. */
export function checkSnappyBlock(input: Uint8Array): SnappyCheck {
  const announced = snappyLength(input);
  if (!announced.ok) return announced;
  let pos = preambleSize(input);
  let produced = 0;
  while (pos < input.length) {
    const at = pos;
    const tag = input[pos++] ?? 0;
    let length: number;
    let offset = 0;
    const kind = tag & 0x3;
    if (kind === 0) {
      length = (tag >>> 2) + 1;
      if (length > 60) {
        const extra = length - 60;
        if (pos + extra > input.length) return { ok: false, reason: `truncated literal length at byte ${at}` };
        length = littleEndian(input, pos, extra) + 1;
        pos += extra;
      }
      if (pos + length > input.length) return { ok: false, reason: `literal of ${length} bytes truncated at byte ${at}` };
      pos += length;
    } else {
      const extra = kind === 1 ? 1 : kind === 2 ? 2 : 4;
      if (pos + extra > input.length) return { ok: false, reason: `truncated copy at byte ${at}` };
      if (kind === 1) {
        length = ((tag >>> 2) & 0x7) + 4;
        offset = ((tag >>> 5) << 8) | (input[pos] ?? 0);
      } else {
        length = (tag >>> 2) + 1;
        offset = littleEndian(input, pos, extra);
      }
      pos += extra;
      if (offset === 0 || offset > produced) {
        return { ok: false, reason: `copy at byte ${at} points ${offset} bytes back, but only ${produced} were produced` };
      }
    }
    produced += length;
    if (produced > announced.length) {
      return { ok: false, reason: `data runs past the announced ${announced.length} bytes at byte ${at}` };
    }
  }
  if (produced !== announced.length) {
    return { ok: false, reason: `data ends after ${produced} of the announced ${announced.length} bytes` };
  }
  return announced;
}

/** Decompresses a block already accepted by `checkSnappyBlock`. */
export const decompressSnappyBlock = (input: Uint8Array): Uint8Array => uncompress(input);

function littleEndian(input: Uint8Array, pos: number, count: number): number {
  let value = 0;
  for (let i = 0; i < count; i++) value += (input[pos + i] ?? 0) * 2 ** (8 * i);
  return value;
}
