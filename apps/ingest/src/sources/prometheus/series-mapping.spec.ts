import type { Outcome } from '@meterline/stream';
import { compress } from 'snappyjs';
import { validateMetric } from '../../validate';
import { parseExposition } from './exposition';
import { decodeRemoteWrite } from './remote-write';
import { mapExposition, mapWriteRequest, type SeriesMappingOptions } from './series-mapping';
import { bitsField, bytesField, label, message, timeSeries, toBytes, varintField } from './test-support/protobuf-writer';
import { capturedRemoteWrite } from './test-support/shared-data';
import type { WriteRequest } from './write-request';

const T = 1_700_000_000_000;
const remoteWrite: SeriesMappingOptions = { source: 'remote_write', nodeLabels: ['node', 'instance'], stripInstancePort: true };
const scrape: SeriesMappingOptions = { ...remoteWrite, source: 'scrape' };

const series = (labels: Record<string, string>, ...samples: [value: number, timestampMs: number, stale?: boolean][]) => ({
  labels: Object.entries(labels).map(([name, value]) => ({ name, value })),
  samples: samples.map(([value, timestampMs, stale = false]) => ({ value, timestampMs, stale })),
});
const request = (...timeseries: ReturnType<typeof series>[]): WriteRequest => ({
  timeseries,
  ignored: { exemplars: 0, histograms: 0, metadata: 0 },
});

const code = (outcome: Outcome<unknown>) => (outcome.kind === 'poison' ? outcome.error.code : outcome.kind);

describe('mapWriteRequest', () => {
  it('maps each sample to a candidate raw metric with its series and index as position', () => {
    const req = request(
      series({ __name__: 'node_memory_MemAvailable_bytes', instance: '10.0.0.7:9100', job: 'node' }, [1.5e9, T], [1.4e9, T + 15_000]),
    );
    expect(mapWriteRequest(req, remoteWrite)).toEqual({
      source: 'remote_write',
      stale: 0,
      candidates: [0, 1].map((i) => ({
        fields: {
          node_id: '10.0.0.7',
          metric: 'node_memory_MemAvailable_bytes',
          value: i === 0 ? 1.5e9 : 1.4e9,
          unit: 'bytes',
          event_time: T + i * 15_000,
          labels: { instance: '10.0.0.7:9100', job: 'node' },
        },
        position: { series: 'node_memory_MemAvailable_bytes{instance="10.0.0.7:9100",job="node"}', sample: String(i) },
        original: [
          'node_memory_MemAvailable_bytes{instance="10.0.0.7:9100",job="node"}',
          i === 0 ? '1500000000' : '1400000000',
          String(T + i * 15_000),
        ].join(' '),
      })),
    });
  });

  it('counts staleness markers instead of turning them into values', () => {
    const req = request(
      series({ __name__: 'up', instance: 'a:9100' }, [1, T], [Number.NaN, T + 15_000, true]),
      series({ __name__: 'up', instance: 'b:9100' }, [Number.NaN, T, true]),
    );
    const mapped = mapWriteRequest(req, remoteWrite);
    expect(mapped.stale).toBe(2);
    expect(mapped.candidates.map((c) => c.fields.event_time)).toEqual([T]);
  });

  it('drops a staleness marker sent over the wire and keeps the ordinary NaN next to it', () => {
    const body = message(
      timeSeries(
        label('__name__', 'node_load1'),
        label('instance', 'gone:9100'),
        bytesField(2, message(bitsField(1, 0x7ff0000000000002n), varintField(2, T))),
        bytesField(2, message(bitsField(1, 0x7ff8000000000001n), varintField(2, T + 1))),
      ),
    );
    const compressed = compress(toBytes(body));
    const headers = { 'content-encoding': 'snappy', 'content-type': 'application/x-protobuf' };
    const mapped = mapWriteRequest(decodeRemoteWrite(compressed, headers), remoteWrite);
    expect(mapped.stale).toBe(1);
    expect(mapped.candidates.map((c) => [c.original, c.position])).toEqual([
      ['node_load1{instance="gone:9100"} NaN 1700000000001', { series: 'node_load1{instance="gone:9100"}', sample: '1' }],
    ]);
  });

  it('passes an ordinary NaN on, for validation to send to the DLQ as not finite', () => {
    const mapped = mapWriteRequest(request(series({ __name__: 'rpc_seconds', instance: 'a:1' }, [Number.NaN, T])), remoteWrite);
    expect(mapped.stale).toBe(0);
    const [candidate] = mapped.candidates;
    expect(candidate?.original).toBe('rpc_seconds{instance="a:1"} NaN 1700000000000');
    expect(candidate && code(validateMetric(candidate.fields, 'remote_write'))).toBe('VALIDATION_NOT_FINITE');
  });

  it('leaves the node id out when no node label is there, for validation to reject with its reason', () => {
    const [candidate] = mapWriteRequest(request(series({ __name__: 'up', job: 'x' }, [1, T])), remoteWrite).candidates;
    expect(candidate?.fields.node_id).toBeUndefined();
    expect(candidate && code(validateMetric(candidate.fields, 'remote_write'))).toBe('VALIDATION_MISSING_FIELD');
  });

  it('prefers the node label over instance when both are there', () => {
    const req = request(series({ __name__: 'up', instance: '10.0.0.7:9100', node: 'gke-a' }, [1, T]));
    const [candidate] = mapWriteRequest(req, remoteWrite).candidates;
    expect(candidate?.fields.node_id).toBe('gke-a');
    expect(candidate?.fields.labels).toEqual({ instance: '10.0.0.7:9100', node: 'gke-a' });
  });

  it('maps all 500 samples of the captured request; all validate but the NIC speed the kernel does not know', () => {
    const { body, headers } = capturedRemoteWrite();
    const mapped = mapWriteRequest(decodeRemoteWrite(body, headers), remoteWrite);
    expect(mapped.stale).toBe(0);
    expect(mapped.candidates).toHaveLength(500);
    const outcomes = mapped.candidates.map((c) => validateMetric(c.fields, 'remote_write'));
    // A virtual NIC reports speed -1 Mbit/s ("unknown"), which node-exporter writes as -1 × 125000 bytes; the text
    // capture shows the same line: node_network_speed_bytes{device="eth0"} -125000.
    const rejected = mapped.candidates.filter((_, i) => outcomes[i]?.kind !== 'ok');
    expect(rejected.map((c) => [c.original, code(validateMetric(c.fields, 'remote_write'))])).toEqual([
      ['node_network_speed_bytes{device="eth0",instance="127.0.0.1:9109",job="node"} -125000 1795259432943', 'VALIDATION_NEGATIVE'],
    ]);
    const memTotal = outcomes.flatMap((o) => (o.kind === 'ok' ? o.values : [])).find((r) => r.metric === 'node_memory_MemTotal_bytes');
    expect(memTotal).toEqual({
      node_id: '127.0.0.1',
      metric: 'node_memory_MemTotal_bytes',
      value: 25276502016,
      capacity: null,
      unit: 'bytes',
      event_time: 1795259432943,
      source: 'remote_write',
      labels: { instance: '127.0.0.1:9109', job: 'node' },
    });
  });
});

describe('mapExposition', () => {
  const body = [
    '# TYPE node_cpu_seconds_total counter',
    'node_cpu_seconds_total{cpu="0",mode="idle"} 1234.5',
    'container_memory_working_set_bytes{node="worker-2",id="/"} 9 1395066363000',
    'broken{ 1',
  ].join('\n');

  const context = { target: 'http://10.0.0.7:9100/metrics', scrapeTimeMs: T, targetLabels: [{ name: 'instance', value: '10.0.0.7:9100' }] };

  it('uses the scrape start for lines without a timestamp and the line\'s own otherwise', () => {
    const mapped = mapExposition(parseExposition(body, 'text'), context, scrape);
    expect(mapped).toEqual({
      source: 'scrape',
      stale: 0,
      candidates: [
        {
          fields: {
            node_id: '10.0.0.7',
            metric: 'node_cpu_seconds_total',
            value: 1234.5,
            unit: 'seconds',
            event_time: T,
            labels: { cpu: '0', mode: 'idle', instance: '10.0.0.7:9100' },
          },
          position: { target: 'http://10.0.0.7:9100/metrics', line: '2' },
          original: 'node_cpu_seconds_total{cpu="0",mode="idle"} 1234.5',
        },
        {
          fields: {
            node_id: 'worker-2',
            metric: 'container_memory_working_set_bytes',
            value: 9,
            unit: 'bytes',
            event_time: 1395066363000,
            labels: { node: 'worker-2', id: '/', instance: '10.0.0.7:9100' },
          },
          position: { target: 'http://10.0.0.7:9100/metrics', line: '3' },
          original: 'container_memory_working_set_bytes{node="worker-2",id="/"} 9 1395066363000',
        },
      ],
    });
  });

  it('keeps a label the target exposes itself over the one the scraper would attach', () => {
    const [candidate] = mapExposition(parseExposition('up{instance="h:1"} 1', 'text'), context, scrape).candidates;
    expect(candidate?.fields).toMatchObject({ node_id: 'h', labels: { instance: 'h:1' } });
  });

  it('finds no node for a line without node labels when the target attaches none', () => {
    const [candidate] = mapExposition(parseExposition('go_goroutines 7', 'text'), { target: 't', scrapeTimeMs: T }, scrape).candidates;
    expect(candidate?.fields.node_id).toBeUndefined();
  });
});
