import type { Candidate, MetricFields } from '../../candidate';
import { BAD_QUANTITY, parseQuantity } from './quantity';

/** A nested field of a JSON value from the API, or undefined when any step is missing or not an object. */
export function at(value: unknown, ...path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export const textAt = (value: unknown, ...path: readonly string[]): string | undefined => {
  const v = at(value, ...path);
  return typeof v === 'string' ? v : undefined;
};

export function objectsAt(value: unknown, ...path: readonly string[]): readonly unknown[] {
  const v = at(value, ...path);
  return Array.isArray(v) ? v : [];
}

type Problem = NonNullable<Candidate<MetricFields>['problem']>;

/** A quantity as a candidate field: its number, or the text as it arrived along with why it could not be read. */
function readQuantity(field: string, value: unknown): { value: unknown; problem?: Problem } {
  if (typeof value !== 'string') return { value: value ?? undefined };
  try {
    return { value: parseQuantity(value) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { value, problem: { code: BAD_QUANTITY, message: `${field}: ${message}` } };
  }
}

/**
 * A metric candidate whose value and capacity are Kubernetes quantities. Sources do not reject records: a quantity
 * that does not parse becomes the candidate's `problem`, so the core rejects it into the DLQ with that reason and
 * the original item. A missing quantity stays missing, for validation to name (capacity is optional there).
 */
export function quantityCandidate(
  fields: Omit<MetricFields, 'value' | 'capacity'>,
  quantities: { readonly value: unknown; readonly capacity: unknown },
  position: Readonly<Record<string, string>>,
  original: string,
): Candidate<MetricFields> {
  const value = readQuantity('value', quantities.value);
  const capacity = readQuantity('capacity', quantities.capacity);
  const problem = value.problem ?? capacity.problem;
  return {
    fields: { ...fields, value: value.value, capacity: capacity.value },
    position,
    original,
    ...(problem === undefined ? {} : { problem }),
  };
}
