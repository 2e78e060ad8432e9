/**
 * Metric names in a PromQL expression, found without a full parser: after blanking what cannot hold a metric name
 * (strings, label matchers, range and subquery brackets, Grafana variables, comments, grouping label lists), every
 * remaining identifier that is not a keyword and not a function call is a metric name. Numbers and durations never
 * match, because an identifier must not follow a digit or a dot.
 */
const KEYWORDS = new Set([
  ...['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool'],
  ...['and', 'or', 'unless', 'offset', 'inf', 'nan'],
]);

export function metricNamesIn(expr: string): string[] {
  const blanked = expr
    .replace(/#.*$/gm, ' ')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\$\{[^}]*\}|\$\w+|\[\[\w+\]\]/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = [...blanked.matchAll(/(?<![\w.:])[A-Za-z_:][\w:]*(?![\w:]|\s*\()/g)].map((m) => m[0]);
  return [...new Set(names.filter((n) => !KEYWORDS.has(n.toLowerCase())))];
}

/**
 * The PromQL inside a Grafana Prometheus variable query: `label_values(expr, label)` holds a series selector,
 * `query_result(expr)` an expression, `label_values(label)`, `label_names()` and `metrics(re)` none.
 */
export function variableQueryExprs(query: string): string[] {
  const q = query.trim();
  const labelValues = /^label_values\((.*),\s*[\w.]+\s*\)$/s.exec(q);
  if (labelValues?.[1] !== undefined) return [labelValues[1]];
  const queryResult = /^query_result\((.*)\)$/s.exec(q);
  if (queryResult?.[1] !== undefined) return [queryResult[1]];
  if (/^(label_values|label_names|metrics)\(/.test(q)) return [];
  return [q];
}

/** Grafana's variables replaced by values PromQL accepts, so that a PromQL parser (promtool) can check the query. */
export const withGrafanaVariablesFilled = (expr: string): string =>
  expr
    .replace(/\$__(rate_interval|interval|range)\b|\$\{__(rate_interval|interval|range)\}/g, '1m')
    .replace(/\$__(interval_ms|range_ms)\b/g, '60000')
    .replace(/\$__(range_s)\b/g, '60')
    .replace(/\$\{\w+(?::\w+)?\}|\$\w+|\[\[\w+\]\]/g, '.*');
