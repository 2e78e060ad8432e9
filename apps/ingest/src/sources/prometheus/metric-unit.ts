/**
 * The unit of a Prometheus metric, read from its name. Prometheus names end in their unit, in base units
 * (https://prometheus.io/docs/practices/naming/): `_bytes`, `_seconds`, `_celsius`, ... OpenMetrics' `# UNIT` line must
 * equal that suffix, so the name alone is enough and both sources (remote write carries no UNIT) agree.
 *
 * The type suffixes come off first: a counter's `_total`, a histogram's or summary's `_sum` (same unit as what is
 * observed). `_count`, `_bucket` (and gauge histograms' `_gcount`) count observations, so they have no unit whatever was
 * observed; `_created` is a Unix time in seconds.
 */
const UNITS: Readonly<Record<string, string>> = {
  bytes: 'bytes',
  seconds: 'seconds',
  percent: 'percent',
  // kube-state-metrics reports CPU as `_cores`, the unit validation and enrichment already know.
  cores: 'cores',
  celsius: 'celsius',
  joules: 'joules',
  volts: 'volts',
  amperes: 'amperes',
  watts: 'watts',
  hertz: 'hertz',
  meters: 'meters',
  grams: 'grams',
  // A ratio is a fraction (0..1), not a percent (0..100): calling it `percent` would make every utilisation derived
  // from it 100 times too small. The project has no unit for "fraction", so it stays dimensionless.
  ratio: '',
};

const COUNTS = /_(?:count|bucket|gcount)$/;
const TYPE_SUFFIX = /_(?:total|sum|gsum)$/;

export function unitOfMetric(name: string): string {
  if (COUNTS.test(name)) return '';
  if (name.endsWith('_created')) return 'seconds';
  const base = name.replace(TYPE_SUFFIX, '');
  return UNITS[base.slice(base.lastIndexOf('_') + 1)] ?? '';
}
