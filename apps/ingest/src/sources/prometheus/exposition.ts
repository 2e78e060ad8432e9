import { parseSampleLine, type ExpositionFormat } from './exposition-line';
import type { PromLabel } from './series';

export type { ExpositionFormat } from './exposition-line';

export interface ExpositionSample {
  /** 1-based line number in the body. */
  readonly line: number;
  readonly name: string;
  /** The line's labels, `__name__` not among them. */
  readonly labels: readonly PromLabel[];
  readonly value: number;
  /** Epoch milliseconds, or undefined when the line has none (the scrape time applies). */
  readonly timestampMs: number | undefined;
  /** The line as it arrived. */
  readonly text: string;
}

/** A line that was skipped because it could not be read; the rest of the exposition is still used. */
export interface ExpositionError {
  readonly line: number;
  readonly reason: string;
  readonly text: string;
}

export interface FamilyMetadata {
  type?: string;
  help?: string;
  unit?: string;
}

export interface Exposition {
  readonly format: ExpositionFormat;
  readonly samples: ExpositionSample[];
  readonly errors: ExpositionError[];
  /** HELP, TYPE and UNIT by metric family name. */
  readonly families: ReadonlyMap<string, FamilyMetadata>;
}

const TYPES: Record<ExpositionFormat, ReadonlySet<string>> = {
  text: new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']),
  openmetrics: new Set(['counter', 'gauge', 'histogram', 'gaugehistogram', 'stateset', 'info', 'summary', 'unknown']),
};

// `# HELP name text`, `# TYPE name type`, `# UNIT name unit` (UNIT is OpenMetrics only); the text may be empty.
const DESCRIPTOR = /^#[ \t]+(HELP|TYPE|UNIT)[ \t]+([a-zA-Z_:][a-zA-Z0-9_:]*)(?:[ \t]+(.*))?$/;

/**
 * Reads a whole exposition. A line that cannot be read is reported with its number and skipped; it never costs the
 * other samples of the scrape. Blank lines are ignored. In Prometheus text every other `#` line is a comment; in
 * OpenMetrics only HELP, TYPE, UNIT and the final `# EOF` exist, and a missing `# EOF` means the body was cut short.
 */
export function parseExposition(body: string, format: ExpositionFormat): Exposition {
  const samples: ExpositionSample[] = [];
  const errors: ExpositionError[] = [];
  const families = new Map<string, FamilyMetadata>();
  const lines = body.split('\n');
  // A body ending in a newline yields one empty last element, which is not a line.
  if (lines[lines.length - 1] === '') lines.pop();
  let eofLine: number | undefined;

  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const trimmed = text.trim();
    if (trimmed === '') continue;
    let reason: string | undefined;
    if (eofLine !== undefined) {
      reason = `after "# EOF" on line ${eofLine}`;
    } else if (format === 'openmetrics' && trimmed === '# EOF') {
      eofLine = line;
    } else if (trimmed.startsWith('#')) {
      reason = readDescriptor(trimmed, format, families);
    } else {
      const sample = parseSampleLine(trimmed, format);
      if (sample.ok) {
        const { name, labels, value, timestampMs } = sample;
        samples.push({ line, name, labels, value, timestampMs, text });
      } else {
        reason = sample.reason;
      }
    }
    if (reason !== undefined) errors.push({ line, reason, text });
  }

  if (format === 'openmetrics' && eofLine === undefined) {
    errors.push({ line: lines.length + 1, reason: 'no "# EOF": the exposition may have been cut short', text: '' });
  }
  return { format, samples, errors, families };
}

/** Records a HELP/TYPE/UNIT line; returns why a `#` line is not acceptable, or undefined. */
function readDescriptor(line: string, format: ExpositionFormat, families: Map<string, FamilyMetadata>): string | undefined {
  const match = DESCRIPTOR.exec(line);
  const [, keyword, name, rest = ''] = match ?? [];
  if (!keyword || !name || (keyword === 'UNIT' && format === 'text')) {
    return format === 'openmetrics' ? 'not a HELP, TYPE, UNIT or EOF line' : undefined;
  }
  const family = families.get(name) ?? {};
  families.set(name, family);
  if (keyword === 'HELP') family.help = unescapeHelp(rest);
  else if (keyword === 'UNIT') family.unit = rest.trim();
  else {
    const type = rest.trim();
    if (!TYPES[format].has(type)) return `unknown metric type ${JSON.stringify(type)} for ${name}`;
    family.type = type;
  }
  return undefined;
}

/** HELP text escapes `\\` and `\n` (and `\"` in OpenMetrics); any other backslash is kept as written. */
const unescapeHelp = (text: string) =>
  text.replace(/\\([\\n"])/g, (_, c: string) => (c === 'n' ? '\n' : c));
