import avro from 'avsc';
import type { Json } from './json';

/**
 * Parses a schema with avsc. `wrapUnions: 'never'` makes avsc reject ambiguous unions (two records, int and long, ...):
 * generated types render unions as plain TypeScript unions, which is only faithful when avsc can leave them unwrapped.
 */
export const parseAvro = (schema: Json): avro.Type =>
  // avsc types its schema argument loosely (`any` inside); a JSON value is what it actually takes.
  avro.Type.forSchema(schema as avro.Schema, { wrapUnions: 'never' });

export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
