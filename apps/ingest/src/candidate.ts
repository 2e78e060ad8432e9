/**
 * What every source hands to validation: the fields as read (strings from CSV, numbers from JSON, anything from a
 * client), where they came from, and the original text so a rejected record reaches the DLQ as it arrived.
 */
export interface Candidate<F> {
  readonly fields: F;
  /** Written as `source.<name>` DLQ headers: `{ file, line }`, `{ request, index }`, `{ target, series }`, ... */
  readonly position: Readonly<Record<string, string>>;
  /** The record as it arrived (a CSV line, a JSON element, a sample rendered as text), for the DLQ. */
  readonly original: string;
  /**
   * Set when the source could not even read the record into fields (a line that is not JSON, a CSV row with too few
   * columns): the record is rejected with this reason and goes to the DLQ like any other invalid record.
   */
  readonly problem?: { readonly code: string; readonly message: string };
}

/** A metric sample before validation; every field may be missing or of the wrong type. */
export interface MetricFields {
  readonly node_id?: unknown;
  readonly metric?: unknown;
  readonly value?: unknown;
  readonly capacity?: unknown;
  readonly unit?: unknown;
  readonly event_time?: unknown;
  readonly labels?: unknown;
}

/** Node metadata before validation. `deleted: true` asks for a tombstone: the node is removed from the table. */
export interface MetadataFields {
  readonly node_id?: unknown;
  readonly instance_type?: unknown;
  readonly zone?: unknown;
  readonly labels?: unknown;
  readonly updated_at?: unknown;
  readonly deleted?: unknown;
}

/** Where records enter; also the `source` field of every raw metric. */
export type IngestSource = 'replay' | 'http' | 'remote_write' | 'scrape' | 'k8s' | 'generator';
