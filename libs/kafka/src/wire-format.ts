import { poisonError } from '@meterline/stream';

/**
 * Confluent wire format, as written by every Confluent-compatible serializer (Java's KafkaAvroSerializer included):
 *
 *   byte 0      magic byte, always 0
 *   bytes 1..4  schema id, 32-bit big-endian, as assigned by the registry
 *   bytes 5..   the Avro binary body, written with that schema
 */
export const MAGIC_BYTE = 0;
export const HEADER_BYTES = 5;

export function frame(schemaId: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  out.writeUInt8(MAGIC_BYTE, 0);
  out.writeUInt32BE(schemaId, 1);
  body.copy(out, HEADER_BYTES);
  return out;
}

/** Reads the header; the body stays a view on the same memory. Anything malformed is poison: it can never decode. */
export function unframe(data: Buffer): { schemaId: number; body: Buffer } {
  if (data.length < HEADER_BYTES) {
    throw poisonError('DECODE_TOO_SHORT', `record of ${data.length} bytes is shorter than the 5-byte wire-format header`);
  }
  const magic = data.readUInt8(0);
  if (magic !== MAGIC_BYTE) {
    throw poisonError('DECODE_BAD_MAGIC', `magic byte is ${magic}, expected ${MAGIC_BYTE} (not Confluent wire format)`);
  }
  return { schemaId: data.readUInt32BE(1), body: data.subarray(HEADER_BYTES) };
}
