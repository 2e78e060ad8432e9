import { isJsonArray, isJsonObject, type Json } from './json';

const isScalar = (value: Json): boolean => !isJsonArray(value) && !isJsonObject(value);

/**
 * JSON laid out like a hand-written .avsc: a union (`["null", "string"]`) or a small type object
 * (`{ "type": "map", "values": "string" }`) stays on one line; records and fields, which carry docs, get one line per
 * attribute.
 */
export function formatJson(value: Json, indent = ''): string {
  if (isJsonArray(value)) {
    if (value.every(isScalar)) return `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    const inner = `${indent}  `;
    return `[\n${value.map((v) => `${inner}${formatJson(v, inner)}`).join(',\n')}\n${indent}]`;
  }
  if (isJsonObject(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const key = (k: string) => JSON.stringify(k);
    if (!('doc' in value) && entries.every(([, v]) => isScalar(v))) {
      return `{ ${entries.map(([k, v]) => `${key(k)}: ${JSON.stringify(v)}`).join(', ')} }`;
    }
    const inner = `${indent}  `;
    return `{\n${entries.map(([k, v]) => `${inner}${key(k)}: ${formatJson(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}
