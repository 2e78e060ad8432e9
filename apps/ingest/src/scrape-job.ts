import type { Logger } from '@meterline/observability';
import { createScraper, type NodeIdOptions, type Scraper } from './sources/prometheus';
import type { IngestMetrics } from './writer/ingest-metrics';
import type { Ingestor } from './writer/ingestor';

export interface ScrapeJobOptions {
  readonly targets: readonly string[];
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly mapping: NodeIdOptions;
}

/**
 * Scrapes the configured targets into Kafka. A scrape whose delivery fails (Kafka down) is reported and not retried:
 * the next scrape brings newer values, as Prometheus itself would have it.
 */
export function startScrapeJob(ingestor: Ingestor, options: ScrapeJobOptions, metrics: IngestMetrics, logger: Logger): Scraper {
  const scraper = createScraper({
    ...options,
    // Never more than the interval (Prometheus has the same rule): a scrape must not run into the next one's slot.
    timeoutMs: Math.min(options.timeoutMs, options.intervalMs),
    deliver: async (candidates) => {
      await ingestor.ingestMetrics(candidates, 'scrape');
    },
    onScrape: (report) => {
      metrics.scrapeUp.set({ target: report.target }, report.up);
      metrics.scrapeDuration.set({ target: report.target }, report.durationMs / 1000);
      if (report.malformed.length > 0) metrics.scrapeMalformedLines.inc({ target: report.target }, report.malformed.length);
      const problem = report.error ?? report.deliveryError;
      if (problem) logger.warn({ target: report.target, up: report.up }, `scrape: ${problem}`);
    },
  });
  scraper.start();
  return scraper;
}
