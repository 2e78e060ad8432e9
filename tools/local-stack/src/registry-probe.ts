import type { Readiness } from './readiness';

export const REQUIRED_COMPATIBILITY = 'BACKWARD';

/**
 * Ready means two things: Quarkus' readiness check is UP (storage initialised, HTTP serving), and the Confluent-compatible
 * API answers with the global compatibility we started it with. Every schema in libs/schemas is written for BACKWARD
 * (new fields have defaults); a registry that accepted incompatible changes would hide contract breaks in tests.
 */
export async function probeRegistry(healthUrl: string, ccompatUrl: string, timeoutMs = 2_000): Promise<Readiness> {
  const health = await getJson(healthUrl, timeoutMs);
  if (!health.ok) return { ready: false, detail: `${healthUrl}: ${health.detail}` };
  const status = field(health.body, 'status');
  if (status !== 'UP') return { ready: false, detail: `${healthUrl}: status ${String(status)}` };
  const configUrl = `${ccompatUrl}/config`;
  const config = await getJson(configUrl, timeoutMs);
  if (!config.ok) return { ready: false, detail: `${configUrl}: ${config.detail}` };
  const level = field(config.body, 'compatibilityLevel');
  if (level !== REQUIRED_COMPATIBILITY) {
    return { ready: false, detail: `${configUrl}: compatibilityLevel ${String(level)}, expected ${REQUIRED_COMPATIBILITY}` };
  }
  return { ready: true, detail: `health UP, compatibility ${level}` };
}

type JsonResult = { ok: true; body: unknown } | { ok: false; detail: string };

async function getJson(url: string, timeoutMs: number): Promise<JsonResult> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    const text = await res.text();
    if (!res.ok) return { ok: false, detail: `HTTP ${res.status} ${text.slice(0, 200)}` };
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { ok: false, detail: cause ?? (err as Error).message };
  }
}

const field = (body: unknown, name: string): unknown =>
  typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
