import { z } from 'zod';

/** Names of run-time flags: what a CLI turns into `--node-id`-style options and an API into a property name. */
const FLAG_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

const SOURCE_KINDS = ['column', 'const', 'fileName', 'flag'] as const;

/**
 * Rows are plain objects, so a column called `constructor` or `__proto__` would read Object.prototype's members
 * when the file lacks it. Such names are refused here, which keeps the per-row lookup a plain property read.
 */
const RESERVED = new Set(Object.getOwnPropertyNames(Object.prototype));
const columnName = z
  .string()
  .min(1)
  .refine((c) => !RESERVED.has(c), {
    error: (issue) => `"${String(issue.input)}" cannot be a column name (every JavaScript object has a member of that name)`,
  });

/**
 * Where one value comes from: a column of the row (a bare string is short for `{ "column": ... }`), a constant, the
 * file's base name through a regular expression (`replace` builds the value from its groups, `$1` or `$<name>`;
 * without it the first group, or the whole match), or a flag given at run time.
 */
const source = z.preprocess(
  (v) => (typeof v === 'string' ? { column: v } : v),
  z
    .strictObject(
      {
        column: columnName.optional(),
        const: z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string, number or boolean' }).optional(),
        fileName: z.string().min(1).optional(),
        replace: z.string().optional(),
        flag: z.string().regex(FLAG_NAME, 'a flag name is a letter, then letters, digits, "-" or "_"').optional(),
      },
      { error: (issue) => (issue.code === 'invalid_type' ? 'expected a column name or an object naming a source' : undefined) },
    )
    .superRefine((s, ctx) => {
      const kinds = SOURCE_KINDS.filter((k) => s[k] !== undefined);
      if (kinds.length !== 1) {
        const got = kinds.length === 0 ? 'none' : kinds.join(' and ');
        ctx.addIssue({ code: 'custom', message: `name exactly one of ${SOURCE_KINDS.join(', ')} (got ${got})` });
      }
      if (s.replace !== undefined && s.fileName === undefined) {
        ctx.addIssue({ code: 'custom', path: ['replace'], message: '"replace" only goes with "fileName"' });
      }
      if (s.fileName !== undefined) {
        try {
          new RegExp(s.fileName);
        } catch (err) {
          ctx.addIssue({ code: 'custom', path: ['fileName'], message: `not a regular expression: ${(err as Error).message}` });
        }
      }
    }),
);

/** One source, or several tried in order: the first that yields a value (a non-empty column, a given flag, ...) wins. */
const field = z.preprocess((v) => (Array.isArray(v) ? v : [v]), z.array(source).min(1, 'name at least one source'));

/** Label name → where its value comes from; a label whose value is empty or absent is left out. */
const labels = z.record(z.string().min(1), field);

const metricFields = z.strictObject({
  node_id: field.optional(),
  metric: field.optional(),
  value: field.optional(),
  capacity: field.optional(),
  unit: field.optional(),
  event_time: field.optional(),
  labels: labels.optional(),
});

const metadataFields = z.strictObject({
  node_id: field.optional(),
  instance_type: field.optional(),
  zone: field.optional(),
  updated_at: field.optional(),
  deleted: field.optional(),
  labels: labels.optional(),
});

const csv = z.strictObject({
  header: z.boolean().optional(),
  columns: z.array(columnName).min(1).optional(),
  delimiter: z
    .string()
    .length(1, 'expected one character')
    .refine((d) => !['"', '\r', '\n'].includes(d), 'cannot be a quote or a line break')
    .optional(),
});

const common = { description: z.string().optional(), csv: csv.optional() };

const metricsSpec = z.strictObject({
  ...common,
  produces: z.literal('metrics'),
  /** Fields shared by every record of a row. */
  fields: metricFields,
  /** For wide rows: one metric per entry, each entry's fields over `fields` (its labels merged into theirs). */
  records: z.array(metricFields).min(1).optional(),
});

const metadataSpec = z.strictObject({ ...common, produces: z.literal('metadata'), fields: metadataFields });

export const mappingSchema = z.discriminatedUnion('produces', [metricsSpec, metadataSpec], {
  error: 'expected "produces": "metrics" or "metadata"',
});

export type Source = z.output<typeof source>;
export type FieldSpec = z.output<typeof field>;
export type MetricFieldSpecs = z.output<typeof metricFields>;
export type MetadataFieldSpecs = z.output<typeof metadataFields>;

/** A mapping as loaded: the JSON, checked, with the name it was loaded by (for logs and errors). */
export type MetricsMapping = z.output<typeof metricsSpec> & { readonly name: string };
export type MetadataMapping = z.output<typeof metadataSpec> & { readonly name: string };
export type Mapping = MetricsMapping | MetadataMapping;
