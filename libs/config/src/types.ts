import { z } from 'zod';

/** Parsers for the shapes environment variables take. All inputs are strings (or undefined when unset). */

const hostPort = /^[A-Za-z0-9.-]+:\d{1,5}$/;

export const hostPortList = z
  .string()
  .transform((s) => s.split(',').map((p) => p.trim()).filter((p) => p.length > 0))
  .refine((list) => list.length > 0, 'expected at least one host:port')
  .refine((list) => list.every((p) => hostPort.test(p)), 'expected a comma-separated list of host:port');

export const httpUrl = z
  .string()
  .refine((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), 'expected an http(s) URL')
  .transform((s) => s.replace(/\/+$/, ''));

/** 0 asks the OS for a free port (tests do this); production configs name one. */
export const port = z.coerce.number({ message: 'expected a port number' }).int().min(0).max(65535);

export const positiveInt = z.coerce.number({ message: 'expected a number' }).int().positive();
export const nonNegativeInt = z.coerce.number({ message: 'expected a number' }).int().nonnegative();

const unitsMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration in milliseconds: `250`, `250ms`, `5s`, `2m`, `1h`. */
export const durationMs = z.string().transform((s, ctx) => {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(s.trim());
  if (!m || m[1] === undefined) {
    ctx.addIssue({ code: 'custom', message: 'expected a duration such as 500ms, 5s, 2m or 1h' });
    return z.NEVER;
  }
  return Math.round(Number(m[1]) * (unitsMs[m[2] ?? 'ms'] ?? 1));
});

export const bool = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .refine((s) => ['true', 'false', '1', '0', 'yes', 'no'].includes(s), 'expected true or false')
  .transform((s) => s === 'true' || s === '1' || s === 'yes');

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** A topic-name prefix: lets tests (and shared clusters) run isolated copies of the whole topic set. */
export const topicPrefix = z.string().regex(/^[A-Za-z0-9._-]*$/, 'expected only letters, digits, ".", "_" and "-"');
