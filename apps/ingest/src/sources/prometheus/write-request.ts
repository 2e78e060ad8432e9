import { poisonError } from '@meterline/stream';
import { ProtobufReader, WireFormatError, WireType } from './protobuf-reader';
import type { PromLabel, PromSample, PromSeries } from './series';
import { doubleFromBits, isStaleMarker } from './stale-marker';

export const REMOTE_WRITE_BAD_PROTOBUF = 'REMOTE_WRITE_BAD_PROTOBUF';

/** A decoded remote-write 1.0 `prometheus.WriteRequest`. */
export interface WriteRequest {
  readonly timeseries: readonly PromSeries[];
  /**
   * What the request carried besides plain samples and is not turned into records: exemplars and native histograms
   * (per series), and metric metadata (HELP/TYPE/UNIT). Counted so that the service can show what it did not ingest.
   */
  readonly ignored: { readonly exemplars: number; readonly histograms: number; readonly metadata: number };
}

/*
 * The messages, from prometheus/prompb/types.proto and remote.proto (proto3):
 *   WriteRequest { repeated TimeSeries timeseries = 1; reserved 2; repeated MetricMetadata metadata = 3; }
 *   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; repeated Exemplar exemplars = 3;
 *                  repeated Histogram histograms = 4; }
 *   Label        { string name = 1; string value = 2; }
 *   Sample       { double value = 1; int64 timestamp = 2; }   // timestamp in epoch milliseconds
 * proto3 does not write fields holding their default, so a Sample of value 0 has no field 1 and a Label with an
 * empty value no field 2: absent means 0 and "". Any other field is skipped by its wire type.
 */
const Field = {
  request: { timeseries: 1, metadata: 3 },
  series: { labels: 1, samples: 2, exemplars: 3, histograms: 4 },
  label: { name: 1, value: 2 },
  sample: { value: 1, timestamp: 2 },
} as const;

/** Decodes an uncompressed WriteRequest; throws a poison REMOTE_WRITE_BAD_PROTOBUF error saying where it broke. */
export function decodeWriteRequest(bytes: Uint8Array): WriteRequest {
  try {
    return readWriteRequest(new ProtobufReader(bytes));
  } catch (err) {
    if (!(err instanceof WireFormatError)) throw err;
    throw poisonError(
      REMOTE_WRITE_BAD_PROTOBUF,
      `body is not a valid prometheus.WriteRequest (remote write 1.0): ${err.message}`,
      { cause: err, details: { offset: err.offset } },
    );
  }
}

function readWriteRequest(reader: ProtobufReader): WriteRequest {
  const timeseries: PromSeries[] = [];
  const ignored = { exemplars: 0, histograms: 0, metadata: 0 };
  while (reader.hasMore()) {
    const key = reader.key();
    if (key.field === Field.request.timeseries) {
      reader.expect(key, WireType.len, 'WriteRequest.timeseries');
      timeseries.push(readSeries(reader.message(), ignored));
    } else {
      if (key.field === Field.request.metadata) ignored.metadata += 1;
      reader.skip(key);
    }
  }
  return { timeseries, ignored };
}

function readSeries(reader: ProtobufReader, ignored: { exemplars: number; histograms: number }): PromSeries {
  const labels: PromLabel[] = [];
  const samples: PromSample[] = [];
  while (reader.hasMore()) {
    const key = reader.key();
    if (key.field === Field.series.labels) {
      reader.expect(key, WireType.len, 'TimeSeries.labels');
      labels.push(readLabel(reader.message()));
    } else if (key.field === Field.series.samples) {
      reader.expect(key, WireType.len, 'TimeSeries.samples');
      samples.push(readSample(reader.message()));
    } else {
      if (key.field === Field.series.exemplars) ignored.exemplars += 1;
      if (key.field === Field.series.histograms) ignored.histograms += 1;
      reader.skip(key);
    }
  }
  return { labels, samples };
}

function readLabel(reader: ProtobufReader): PromLabel {
  let name = '';
  let value = '';
  while (reader.hasMore()) {
    const key = reader.key();
    if (key.field === Field.label.name) {
      reader.expect(key, WireType.len, 'Label.name');
      name = reader.string();
    } else if (key.field === Field.label.value) {
      reader.expect(key, WireType.len, 'Label.value');
      value = reader.string();
    } else {
      reader.skip(key);
    }
  }
  return { name, value };
}

function readSample(reader: ProtobufReader): PromSample {
  let bits = 0n;
  let timestamp = 0n;
  while (reader.hasMore()) {
    const key = reader.key();
    if (key.field === Field.sample.value) {
      reader.expect(key, WireType.i64, 'Sample.value');
      bits = reader.fixed64();
    } else if (key.field === Field.sample.timestamp) {
      reader.expect(key, WireType.varint, 'Sample.timestamp');
      timestamp = reader.int64();
    } else {
      reader.skip(key);
    }
  }
  // Read exactly as int64; as a number it is exact up to 2^53 ms (year 287,396). Anything beyond is far outside the
  // event times validation accepts, so it is rejected there, per sample, rather than failing the whole request here.
  return { value: doubleFromBits(bits), timestampMs: Number(timestamp), stale: isStaleMarker(bits) };
}
