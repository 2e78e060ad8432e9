import type { ExpositionFormat } from './exposition-line';

/**
 * What the scraper asks for: OpenMetrics first (it is what Prometheus prefers, and its `# EOF` reveals a cut-short
 * body), Prometheus text 0.0.4 next, and anything else last so that a target with a sloppy Content-Type still answers.
 */
export const SCRAPE_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,' +
  'text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

/**
 * The parser for a response. Only `application/openmetrics-text` is OpenMetrics; `text/plain`, a missing or an unknown
 * Content-Type are read as Prometheus text, which is what exporters that predate content negotiation send.
 */
export function formatOfContentType(contentType: string | null | undefined): ExpositionFormat {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/openmetrics-text' ? 'openmetrics' : 'text';
}
