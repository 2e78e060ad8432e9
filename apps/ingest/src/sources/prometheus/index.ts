// The Prometheus sources: remote write 1.0 decoding, exposition parsing, the series → candidate mapping both share,
// and the scraper. The HTTP route, configuration and delivery to Kafka are wired by the service.
export type { PromLabel, PromSample, PromSeries } from './series';
export { STALE_MARKER_BITS } from './stale-marker';
export {
  checkRemoteWriteHeaders,
  decodeRemoteWrite,
  DEFAULT_MAX_DECODED_BYTES,
  RemoteWriteErrorCode,
  type RemoteWriteOptions,
  type RequestHeaders,
} from './remote-write';
export { decodeWriteRequest, type WriteRequest } from './write-request';
export {
  parseExposition,
  type Exposition,
  type ExpositionError,
  type ExpositionFormat,
  type ExpositionSample,
  type FamilyMetadata,
} from './exposition';
export { formatOfContentType, SCRAPE_ACCEPT } from './exposition-format';
export { unitOfMetric } from './metric-unit';
export { nodeIdOf, stripPort, type NodeIdOptions } from './node-id';
export {
  DEFAULT_NODE_LABELS,
  mapExposition,
  mapSamples,
  mapWriteRequest,
  type MappedSamples,
  type SampleToMap,
  type ScrapeContext,
  type SeriesMappingOptions,
} from './series-mapping';
export { scrapeOnce, type ScrapeOnceOptions, type ScrapeOutcome } from './scrape-target';
export { createScraper, type Deliver, type ScrapeReport, type Scraper, type ScraperOptions } from './scraper';
