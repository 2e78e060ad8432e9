import type { PromLabel } from './series';

/** Label values escaped as the exposition formats do, so the text reads back to the same labels. */
const escapeValue = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/** `name{a="1",b="2"}` in the labels' order, `__name__` outside the braces; just `name` without other labels. */
export function seriesText(labels: readonly PromLabel[]): string {
  const name = labels.find((l) => l.name === '__name__')?.value ?? '';
  const rest = labels.filter((l) => l.name !== '__name__').map((l) => `${l.name}="${escapeValue(l.value)}"`);
  return rest.length === 0 ? name : `${name}{${rest.join(',')}}`;
}

/** A float as the exposition formats write it: `NaN`, `+Inf`, `-Inf`, otherwise JavaScript's shortest round trip. */
export function valueText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}
