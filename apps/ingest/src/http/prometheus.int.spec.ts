import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readRawMessages, readRecords } from '@meterline/kafka';
import { startScrapeJob } from '../scrape-job';
import { startExpositionServer, type ExpositionServer } from '../sources/prometheus/test-support/exposition-server';
import { capturedRemoteWrite, prometheusText } from '../sources/prometheus/test-support/shared-data';
import { ingestHarness, type IngestHarness } from '../test-support/ingest-harness';
import { remoteWriteRoute } from './remote-write-route';

const mapping = { nodeLabels: ['node', 'instance'], stripInstancePort: true };

/** Samples in an exposition, counted without our parser: every non-empty line that is not a comment. */
const samplesIn = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).length;

describe('Prometheus into Kafka', () => {
  let h: IngestHarness;
  let exporter: ExpositionServer;

  beforeEach(async () => {
    h = await ingestHarness('ingest-prom');
    await h.serve((app, harness) =>
      remoteWriteRoute(() => harness.ingestor, { maxBodyBytes: 32 * 1024 * 1024, mapping, retryAfterSeconds: 5, logger: harness.logger, metrics: harness.metrics })(app),
    );
    exporter = await startExpositionServer();
  });

  afterEach(async () => {
    await exporter.close();
    await h.close();
  });

  it('accepts the captured remote-write request and lands its 500 series as raw records', async () => {
    const { body, headers } = capturedRemoteWrite();
    const response = await fetch(`${h.server?.url}/api/v1/write`, { method: 'POST', body, headers });
    expect(response.status).toBe(204);

    // One series of the capture is invalid: node_network_speed_bytes is -125000 (a NIC of unknown speed).
    const records = await readRecords(h.kafka, h.reader, h.topics.metrics, 499);
    expect(records).toHaveLength(499);
    expect(new Set(records.map((r) => r.value.node_id))).toEqual(new Set(['127.0.0.1']));
    expect(records.every((r) => r.value.source === 'remote_write' && r.value.labels['job'] === 'node')).toBe(true);
    const memTotal = records.find((r) => r.value.metric === 'node_memory_MemTotal_bytes');
    expect(memTotal?.value).toMatchObject({ value: 25276502016, unit: 'bytes', event_time: 1795259432943 });

    const [letter] = await readRawMessages(h.kafka, h.topics.metrics.dlq, 1);
    expect(letter?.headers['error.code']).toBe('VALIDATION_NEGATIVE');
    expect(String(letter?.value)).toContain('node_network_speed_bytes');
  });

  it('answers 400 to a request that is not snappy-compressed protobuf, so Prometheus does not retry it', async () => {
    const response = await fetch(`${h.server?.url}/api/v1/write`, {
      method: 'POST',
      body: 'not snappy',
      headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe('REMOTE_WRITE_BAD_SNAPPY');
  });

  it('scrapes a node-exporter endpoint into raw records, each sample once', async () => {
    const expected = samplesIn(prometheusText('node_exporter-1.5.0-scrape.prom.txt'));
    const ingestor = h.ingestor;
    if (!ingestor) throw new Error('no ingestor');
    const scraper = startScrapeJob(
      ingestor,
      { targets: [exporter.url('/node-exporter')], intervalMs: 60_000, timeoutMs: 5_000, mapping },
      h.metrics,
      h.logger,
    );
    try {
      const records = await readRecords(h.kafka, h.reader, h.topics.metrics, expected - 1);
      expect(records).toHaveLength(expected - 1);
      expect(new Set(records.map((r) => r.value.node_id))).toEqual(new Set(['127.0.0.1']));
      expect(records.every((r) => r.value.source === 'scrape')).toBe(true);
      const [letter] = await readRawMessages(h.kafka, h.topics.metrics.dlq, 1);
      expect(letter?.headers['error.code']).toBe('VALIDATION_NEGATIVE');
      expect((await h.metrics.scrapeUp.get()).values).toEqual([{ labels: { target: exporter.url('/node-exporter') }, value: 1 }]);
    } finally {
      await scraper.stop();
    }
  });

  describe('with a real Prometheus', () => {
    let prometheus: ChildProcess | undefined;
    let dir: string;

    afterEach(() => {
      prometheus?.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    });

    it('delivers what Prometheus scrapes through remote_write, end to end', async () => {
      const binary = execFileSync('sh', ['-c', 'command -v prometheus || true']).toString().trim();
      if (binary === '') throw new Error('prometheus is not installed: apt-get install prometheus (.ci/run does)');
      dir = mkdtempSync(path.join(tmpdir(), 'meterline-prometheus-'));
      const ingestUrl = h.server?.url ?? '';
      writeFileSync(
        path.join(dir, 'prometheus.yml'),
        [
          'global: { scrape_interval: 1s, evaluation_interval: 1s }',
          'scrape_configs:',
          `  - job_name: node`,
          `    metrics_path: /node-exporter`,
          `    static_configs: [{ targets: ['${new URL(exporter.url('/')).host}'] }]`,
          'remote_write:',
          `  - url: ${ingestUrl}/api/v1/write`,
          '    queue_config: { batch_send_deadline: 1s, min_backoff: 100ms, max_backoff: 1s }',
        ].join('\n'),
      );
      prometheus = spawn(
        binary,
        [
          `--config.file=${path.join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${path.join(dir, 'data')}`,
          '--web.listen-address=127.0.0.1:0',
        ],
        { stdio: 'ignore' },
      );
      // Prometheus adds its own series (up, scrape_duration_seconds, ...) to what it scrapes: wait for both kinds.
      const records = await readRecords(h.kafka, h.reader, h.topics.metrics, 600, { timeoutMs: 60_000 });
      const names = new Set(records.map((r) => r.value.metric));
      expect(names).toContain('up');
      expect(names).toContain('node_memory_MemTotal_bytes');
      const memTotal = records.find((r) => r.value.metric === 'node_memory_MemTotal_bytes');
      expect(memTotal?.value).toMatchObject({ value: 25276502016, node_id: '127.0.0.1', source: 'remote_write' });
      expect(records.every((r) => r.value.labels['job'] === 'node')).toBe(true);
    }, 120_000);
  });
});
