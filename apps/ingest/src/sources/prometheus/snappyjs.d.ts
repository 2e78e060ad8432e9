// snappyjs 0.7.0 ships no types. Only the block-format functions used here are declared; they return the input's
// kind (Buffer in, Buffer out), which is always a Uint8Array.
declare module 'snappyjs' {
  export function uncompress(compressed: Uint8Array, maxLength?: number): Uint8Array;
  export function compress(uncompressed: Uint8Array): Uint8Array;
}
