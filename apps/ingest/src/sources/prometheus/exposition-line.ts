import type { PromLabel } from './series';

/** Prometheus text 0.0.4 (`text/plain; version=0.0.4`) or OpenMetrics 1.0 text (`application/openmetrics-text`). */
export type ExpositionFormat = 'text' | 'openmetrics';

export type SampleLine =
  | {
      readonly ok: true;
      readonly name: string;
      readonly labels: readonly PromLabel[];
      readonly value: number;
      readonly timestampMs: number | undefined;
    }
  | { readonly ok: false; readonly reason: string };

/*
 * A sample line, in both formats:
 *   name [ "{" label "=" "\"" value "\"" { "," label "=" ... } [ "," ] "}" ] value [ timestamp ] [ " # " exemplar ]
 * Label values escape `\` as `\\`, `"` as `\"` and a newline as `\n`; nothing else may follow a backslash. The value is
 * a Go float (`1`, `1.5e+06`, `NaN`, `+Inf`, `-Inf`). The timestamp is integer epoch milliseconds in Prometheus text
 * but (float) epoch seconds in OpenMetrics. Only OpenMetrics has exemplars, which are not samples and are skipped.
 * Names are the classic charset: a target sends quoted UTF-8 names only when the Accept header asks for them
 * (`escaping=allow-utf-8`), and the scraper does not.
 */
const METRIC_NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INFINITY = /^([+-]?)inf(?:inity)?$/i;
const INTEGER = /^-?\d+$/;

const fail = (reason: string): SampleLine => ({ ok: false, reason });

/** A Go `strconv.ParseFloat` number as the exposition formats write it, or undefined. */
export function parseFloatToken(token: string): number | undefined {
  if (DECIMAL.test(token)) return Number(token);
  if (token.toLowerCase() === 'nan') return Number.NaN;
  const inf = INFINITY.exec(token);
  if (inf) return inf[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return undefined;
}

export function parseSampleLine(line: string, format: ExpositionFormat): SampleLine {
  const cursor = { pos: 0 };
  const name = sticky(METRIC_NAME, line, cursor);
  if (name === undefined) return fail('does not start with a metric name');
  skipBlanks(line, cursor);

  const labels: PromLabel[] = [];
  if (line[cursor.pos] === '{') {
    cursor.pos += 1;
    const error = readLabels(line, cursor, labels);
    if (error) return fail(error);
  }

  const tokens = line.slice(cursor.pos).trim().split(/[ \t]+/);
  const exemplarAt = tokens.indexOf('#');
  if (exemplarAt !== -1) {
    if (format !== 'openmetrics') return fail('text after the sample ("#" starts an exemplar only in OpenMetrics)');
    tokens.length = exemplarAt;
  }
  const [valueToken, timestampToken, ...rest] = tokens;
  if (valueToken === undefined || valueToken === '') return fail('no value');
  if (rest.length > 0) return fail(`unexpected ${JSON.stringify(rest.join(' '))} after the timestamp`);
  const value = parseFloatToken(valueToken);
  if (value === undefined) return fail(`value ${JSON.stringify(valueToken)} is not a number`);

  let timestampMs: number | undefined;
  if (timestampToken !== undefined) {
    timestampMs = parseTimestamp(timestampToken, format);
    if (timestampMs === undefined) {
      const expected = format === 'openmetrics' ? 'epoch seconds' : 'integer epoch milliseconds';
      return fail(`timestamp ${JSON.stringify(timestampToken)} is not ${expected}`);
    }
  }
  return { ok: true, name, labels, value, timestampMs };
}

function parseTimestamp(token: string, format: ExpositionFormat): number | undefined {
  if (format === 'text') {
    if (!INTEGER.test(token)) return undefined;
    const ms = Number(token);
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  if (!DECIMAL.test(token)) return undefined;
  // Rounded, not truncated: 1726839813.016 s is 1726839813015.9998 ms in binary floating point.
  const ms = Math.round(Number(token) * 1000);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** Reads `label="value", ...}` (the `{` already consumed); returns why it cannot, or undefined. */
function readLabels(line: string, cursor: { pos: number }, labels: PromLabel[]): string | undefined {
  for (;;) {
    skipBlanks(line, cursor);
    if (line[cursor.pos] === '}') {
      cursor.pos += 1;
      return undefined;
    }
    const name = sticky(LABEL_NAME, line, cursor);
    if (name === undefined) return `expected a label name at column ${cursor.pos + 1}`;
    skipBlanks(line, cursor);
    if (line[cursor.pos] !== '=') return `expected "=" after label ${name}`;
    cursor.pos += 1;
    skipBlanks(line, cursor);
    if (line[cursor.pos] !== '"') return `expected a quoted value for label ${name}`;
    cursor.pos += 1;
    const value = readQuoted(line, cursor);
    if (typeof value !== 'string') return `label ${name}: ${value.error}`;
    if (labels.some((l) => l.name === name)) return `label ${name} appears twice`;
    labels.push({ name, value });
    skipBlanks(line, cursor);
    if (line[cursor.pos] === ',') cursor.pos += 1;
    else if (line[cursor.pos] !== '}') return `expected "," or "}" after label ${name}`;
  }
}

/** The rest of a quoted label value (opening quote consumed), unescaped. */
function readQuoted(line: string, cursor: { pos: number }): string | { error: string } {
  let value = '';
  for (let i = cursor.pos; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      cursor.pos = i + 1;
      return value;
    }
    if (c !== '\\') {
      value += c;
      continue;
    }
    const next = line[++i];
    if (next === '\\' || next === '"') value += next;
    else if (next === 'n') value += '\n';
    else return { error: `invalid escape ${JSON.stringify(`\\${next ?? ''}`)}` };
  }
  return { error: 'unterminated quoted value' };
}

function sticky(pattern: RegExp, line: string, cursor: { pos: number }): string | undefined {
  pattern.lastIndex = cursor.pos;
  const match = pattern.exec(line);
  if (!match) return undefined;
  cursor.pos = pattern.lastIndex;
  return match[0];
}

function skipBlanks(line: string, cursor: { pos: number }): void {
  while (line[cursor.pos] === ' ' || line[cursor.pos] === '\t') cursor.pos += 1;
}
