import { errorText } from './error-text';
import { parseExposition, type Exposition } from './exposition';
import { formatOfContentType, SCRAPE_ACCEPT } from './exposition-format';

export interface ScrapeOnceOptions {
  readonly timeoutMs: number;
  /** Aborts the scrape from outside (the scraper stopping). */
  readonly signal?: AbortSignal;
  readonly fetch?: typeof fetch;
}

export type ScrapeOutcome =
  | { readonly up: true; readonly exposition: Exposition }
  | { readonly up: false; readonly error: string; readonly aborted: boolean };

/**
 * One GET of a target's exposition, read with the parser its Content-Type names. A target is up when it answered 2xx
 * with a body in time; lines that fail to parse do not make it down (they are reported in the exposition's errors).
 * Never throws: every failure is the target's state, for the `up` gauge and the status page.
 */
export async function scrapeOnce(url: string, options: ScrapeOnceOptions): Promise<ScrapeOutcome> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const doFetch = options.fetch ?? fetch;
  try {
    const response = await doFetch(url, {
      signal,
      headers: {
        accept: SCRAPE_ACCEPT,
        // As Prometheus sends it: exporters that do expensive collection may cut it short to answer in time.
        'x-prometheus-scrape-timeout-seconds': String(options.timeoutMs / 1000),
      },
    });
    if (!response.ok) {
      await response.body?.cancel();
      return down(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
    }
    const body = await response.text();
    return { up: true, exposition: parseExposition(body, formatOfContentType(response.headers.get('content-type'))) };
  } catch (err) {
    if (timeout.aborted) return down(`timed out after ${options.timeoutMs} ms`);
    if (options.signal?.aborted) return { up: false, error: 'scrape stopped', aborted: true };
    return down(errorText(err));
  }
}

const down = (error: string): ScrapeOutcome => ({ up: false, error, aborted: false });
