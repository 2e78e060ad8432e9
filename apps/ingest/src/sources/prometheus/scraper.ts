import { setTimeout as sleep } from 'node:timers/promises';
import { fatalError } from '@meterline/stream';
import type { Candidate, MetricFields } from '../../candidate';
import { errorText } from './error-text';
import type { ExpositionError } from './exposition';
import type { NodeIdOptions } from './node-id';
import { scrapeOnce } from './scrape-target';
import { mapExposition } from './series-mapping';

/** What one scrape of one target did; the service turns it into `scrape_target_up{target}` and friends. */
export interface ScrapeReport {
  readonly target: string;
  readonly up: 0 | 1;
  /** Epoch ms when the scrape started; the event time of samples without their own timestamp. */
  readonly startedAt: number;
  /** The request and parse, not the delivery: `scrape_duration_seconds` means what it means in Prometheus. */
  readonly durationMs: number;
  /** Samples read from the exposition (0 when down). */
  readonly samples: number;
  /** Lines skipped because they could not be read, with their line numbers. */
  readonly malformed: readonly ExpositionError[];
  /** Why the target is down. */
  readonly error?: string;
  /** Why `deliver` failed: the target was fine, this scrape's samples were not delivered. */
  readonly deliveryError?: string;
}

export type Deliver = (candidates: Candidate<MetricFields>[], report: ScrapeReport) => Promise<void>;

export interface ScraperOptions {
  /** URLs of exposition endpoints, e.g. `http://10.0.0.7:9100/metrics`; each is also its `target` label. */
  readonly targets: readonly string[];
  readonly intervalMs: number;
  /** At most the interval, as in Prometheus: a scrape never runs into the next one's slot. */
  readonly timeoutMs: number;
  readonly mapping: NodeIdOptions;
  /**
   * Receives each successful scrape's candidates and is awaited before the target is scraped again: a slow sink slows
   * the scraping down instead of piling up scrapes. A rejection is reported as `deliveryError`; the loop goes on.
   */
  readonly deliver: Deliver;
  /** Called after every scrape (and its delivery) of every target. Must not throw: that would be a bug, and fatal. */
  readonly onScrape?: (report: ScrapeReport) => void;
  readonly fetch?: typeof fetch;
  /** Epoch-ms clock for event times; durations and the schedule use the monotonic `performance.now()`. */
  readonly now?: () => number;
}

export interface Scraper {
  /** Starts one loop per target, the first scrape at once. Calling it again does nothing. */
  start(): void;
  /**
   * Ends the loops: sleeping and in-flight requests are aborted; a delivery in progress is awaited, so a batch is
   * never cut in half. Resolves when every loop has ended.
   */
  stop(): Promise<void>;
  /** The latest report of each target that has been scraped at least once. */
  status(): ReadonlyMap<string, ScrapeReport>;
}

export function createScraper(options: ScraperOptions): Scraper {
  checkOptions(options);
  const now = options.now ?? Date.now;
  const stopping = new AbortController();
  const latest = new Map<string, ScrapeReport>();
  let loops: Promise<void>[] | undefined;

  async function scrapeAndDeliver(target: string): Promise<void> {
    const startedAt = now();
    const clock = performance.now();
    const { timeoutMs, fetch } = options;
    const outcome = await scrapeOnce(target, { timeoutMs, signal: stopping.signal, fetch });
    if (!outcome.up && outcome.aborted) return;
    const durationMs = performance.now() - clock;
    const samples = outcome.up ? outcome.exposition.samples.length : 0;
    let report: ScrapeReport = outcome.up
      ? { target, up: 1, startedAt, durationMs, samples, malformed: outcome.exposition.errors }
      : { target, up: 0, startedAt, durationMs, samples, malformed: [], error: outcome.error };
    if (outcome.up) {
      // Like Prometheus, every sample gets the target's host:port as `instance` unless it exposes its own.
      const targetLabels = [{ name: 'instance', value: new URL(target).host }];
      const context = { target, scrapeTimeMs: startedAt, targetLabels };
      const { candidates } = mapExposition(outcome.exposition, context, { ...options.mapping, source: 'scrape' });
      if (candidates.length > 0) {
        try {
          await options.deliver(candidates, report);
        } catch (err) {
          report = { ...report, deliveryError: errorText(err) };
        }
      }
    }
    latest.set(target, report);
    options.onScrape?.(report);
  }

  async function loop(target: string): Promise<void> {
    let next = performance.now();
    while (!stopping.signal.aborted) {
      const wait = next - performance.now();
      // Stopping rejects the sleep (AbortError); the loop condition then ends the loop.
      if (wait > 0) await sleep(wait, undefined, { signal: stopping.signal }).catch(() => undefined);
      if (stopping.signal.aborted) return;
      // The next slot counts from this scrape's start; one that overran (slow target or slow delivery) is followed
      // at once by the next, never by a burst of missed ones.
      next = performance.now() + options.intervalMs;
      await scrapeAndDeliver(target);
    }
  }

  return {
    start() {
      if (loops || stopping.signal.aborted) return;
      loops = options.targets.map((target) => loop(target));
    },
    async stop() {
      stopping.abort();
      await Promise.all(loops ?? []);
    },
    status: () => latest,
  };
}

function checkOptions(options: ScraperOptions): void {
  const problems: string[] = [];
  if (!(options.intervalMs > 0)) problems.push(`intervalMs must be positive, got ${options.intervalMs}`);
  if (!(options.timeoutMs > 0)) problems.push(`timeoutMs must be positive, got ${options.timeoutMs}`);
  if (options.timeoutMs > options.intervalMs) {
    problems.push(`timeoutMs ${options.timeoutMs} exceeds intervalMs ${options.intervalMs}`);
  }
  const seen = new Set<string>();
  for (const target of options.targets) {
    if (!URL.canParse(target)) problems.push(`target ${JSON.stringify(target)} is not a URL`);
    if (seen.has(target)) problems.push(`target ${target} is listed twice`);
    seen.add(target);
  }
  if (problems.length > 0) throw fatalError('SCRAPE_CONFIG', `invalid scrape configuration: ${problems.join('; ')}`);
}
