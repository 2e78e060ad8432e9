import type { BenchConfig } from './bench-config';
import type { ProduceResult } from './kafkajs-produce';
import type { PacedRelay, RelayThroughput } from './measure-relay';
import type { ConsumerPerfSummary, ProducerPerfSummary } from './perf-output';

/** Everything one run measured; printed as a table and, as the last stdout line, as one JSON object. */
export interface BaselineResult {
  readonly bench: 'baseline';
  readonly runId: string;
  readonly timestamp: string;
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  readonly kafka: string;
  readonly javaMajor: number;
  readonly config: BenchConfig;
  /** Mean framed sizes (5-byte header + Avro body) of the kafkajs records; ProducerPerformance sends values only. */
  readonly recordBytes: { readonly value: number; readonly key: number; readonly producerPerformanceValue: number };
  readonly producerPerformance: ProducerPerfSummary;
  readonly consumerPerformance: ConsumerPerfSummary;
  readonly kafkajsProduce: ProduceResult;
  readonly relay: RelayThroughput;
  readonly relayPaced: PacedRelay;
  readonly ratios: Ratios;
  readonly cleanupProblems: readonly string[];
}

/** Each pair is measured in the same run, on the same broker, so the machine's speed mostly cancels out. */
export interface Ratios {
  /** Node Avro producer (encode + send, keyed) vs Kafka's Java producer (random bytes, no key); both acks=all. */
  readonly kafkajsProduceVsProducerPerformance: number;
  /** The relay after its join vs ConsumerPerformance after its join (fetch.nMsg.sec). */
  readonly relayVsConsumerPerformance: number;
  /** The same, both including the group join (nMsg.sec). */
  readonly relayWithJoinVsConsumerPerformanceWithJoin: number;
  /** What consuming, decoding and committing cost on top of producing the same records from Node. */
  readonly relayVsKafkajsProduce: number;
}

const round = (x: number, digits = 0): number => Number(x.toFixed(digits));

export function ratiosOf(r: Pick<BaselineResult, 'producerPerformance' | 'consumerPerformance' | 'kafkajsProduce' | 'relay'>): Ratios {
  return {
    kafkajsProduceVsProducerPerformance: round(r.kafkajsProduce.recordsPerSec / r.producerPerformance.recordsPerSec, 3),
    relayVsConsumerPerformance: round(r.relay.recordsPerSec / r.consumerPerformance.fetchRecordsPerSec, 3),
    relayWithJoinVsConsumerPerformanceWithJoin: round(r.relay.recordsPerSecWithJoin / r.consumerPerformance.recordsPerSec, 3),
    relayVsKafkajsProduce: round(r.relay.recordsPerSec / r.kafkajsProduce.recordsPerSec, 3),
  };
}

const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const ms = (x: number): string => (x < 10 ? x.toFixed(1) : int(x));
const lat = (p50: number, p99: number, max: number): string => `${ms(p50)} / ${ms(p99)} / ${ms(max)}`;

export function formatTable(r: BaselineResult): string[] {
  const c = r.config;
  const pp = r.producerPerformance;
  const cp = r.consumerPerformance;
  const kp = r.kafkajsProduce;
  const relay = r.relay;
  const paced = r.relayPaced;
  const pct = (x: number): string => `${x} %`;
  type Row = [string, string, string, string, string];
  const rows: Row[] = [
    ['measurement', 'records', 'records/s', 'node CPU', 'latency ms p50 / p99 / max'],
    ['1 ProducerPerformance, acks=all, unthrottled', int(pp.records), int(pp.recordsPerSec), '', `${lat(pp.p50Ms, pp.p99Ms, pp.maxLatencyMs)}  send→ack, saturated`],
    ['2 ConsumerPerformance, after group join', int(cp.records), int(cp.fetchRecordsPerSec), '', ''],
    [`    with group join (${int(cp.rebalanceMs)} ms)`, '', int(cp.recordsPerSec), '', ''],
    [`3 AvroProducer.send ${int(c.sendBatch)}/send, ${c.sendsInFlight} in flight`, int(kp.records), int(kp.recordsPerSec), pct(kp.nodeCpuPercent), ''],
    [`4 relay chunk ${int(c.chunkSize)}, ${c.partitionsConcurrently} partition(s) at once`, int(relay.records), int(relay.recordsPerSec), pct(relay.nodeCpuPercent), ''],
    [`    with connect + join (${int(relay.joinMs)} ms)`, '', int(relay.recordsPerSecWithJoin), '', ''],
    [
      `  relay paced at ${int(c.pacedRate)}/s for ${c.pacedDurationMs / 1000} s`,
      int(paced.latency.count),
      int(paced.offered.recordsPerSec),
      pct(paced.offered.nodeCpuPercent),
      `${lat(paced.latency.p50Ms, paced.latency.p99Ms, paced.latency.maxMs)}  target − source append time`,
    ],
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]?.length ?? 0)));
  const line = ([name, records, perSec, cpu, latency]: Row) =>
    [
      name.padEnd(widths[0] ?? 0),
      records.padStart(widths[1] ?? 0),
      perSec.padStart(widths[2] ?? 0),
      cpu.padStart(widths[3] ?? 0),
      latency,
    ]
      .join('  ')
      .trimEnd();
  const ratio = r.ratios;
  const missing = paced.latency.missing > 0 ? [`WARNING: ${paced.latency.missing} paced records never reached the target`] : [];
  return [
    `Meterline baseline ${r.runId}: node ${r.node}, Kafka ${r.kafka} (Java ${r.javaMajor}), ${r.cpus} CPUs, ${r.platform}`,
    `records: Avro value ${r.recordBytes.value.toFixed(1)} B + key ${r.recordBytes.key.toFixed(1)} B (framed, mean); ` +
      `ProducerPerformance: ${r.recordBytes.producerPerformanceValue} B value, no key`,
    `broker warmed up with ${int(c.warmupRecords)} untimed records; phases run one at a time, client and broker share the CPUs`,
    '',
    ...rows.map(line),
    '',
    'ratios (same run)',
    `  kafkajs produce / ProducerPerformance            ${ratio.kafkajsProduceVsProducerPerformance.toFixed(3)}  Node Avro encode+send vs Java raw bytes, both acks=all`,
    `  relay / ConsumerPerformance, after join          ${ratio.relayVsConsumerPerformance.toFixed(3)}  consume+decode+encode+produce+commit vs consume only`,
    `  relay / ConsumerPerformance, with join           ${ratio.relayWithJoinVsConsumerPerformanceWithJoin.toFixed(3)}`,
    `  relay / kafkajs produce                          ${ratio.relayVsKafkajsProduce.toFixed(3)}  the consuming side's cost on top of producing`,
    `node CPU: this process, % of one core (~100 % or more: Node is the bottleneck); in the paced row it includes the relay`,
    `relay commit lag after the last record: ${int(relay.commitLagMs)} ms; paced producer reached ${int(paced.offered.recordsPerSec)} of ${int(c.pacedRate)} records/s`,
    ...missing,
    ...r.cleanupProblems.map((p) => `cleanup: ${p}`),
  ];
}
