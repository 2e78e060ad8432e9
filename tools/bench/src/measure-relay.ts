import { DlqWriter, type Admin, type AvroProducer, type Emit, type Kafka, type Log } from '@meterline/kafka';
import type { MeterlineError } from '@meterline/stream';
import { cpuMeter } from './cpu';
import type { ProduceResult } from './kafkajs-produce';
import { relayLatency, type RelayLatency } from './latency';
import { committedOffsets, highWatermarks, total, whenReached } from './offsets';
import { producePaced } from './paced-producer';
import { readStamps } from './read-back';
import type { RawHandle } from './bench-topics';
import { Relay } from './relay';
import { rate } from './stats';

export interface RelayThroughput {
  readonly records: number;
  /** From start() to the consumer having joined its group: connect, subscribe, join and sync. */
  readonly joinMs: number;
  /** From the join to the target holding every record. */
  readonly drainMs: number;
  /** records / drainMs: the relay's own speed, comparable with ConsumerPerformance's fetch.nMsg.sec. */
  readonly recordsPerSec: number;
  /** records / (joinMs + drainMs), comparable with ConsumerPerformance's nMsg.sec. */
  readonly recordsPerSecWithJoin: number;
  /** How much later the group's committed offsets reached the end than the target did (the last commit's delay). */
  readonly commitLagMs: number;
  /** This process's CPU from the join to the drain, % of one core (the bench's offset polling is a small part). */
  readonly nodeCpuPercent: number;
}

export interface PacedRelay {
  readonly offered: ProduceResult;
  readonly latency: RelayLatency;
}

export interface MeasureRelayOptions {
  readonly kafka: Kafka;
  readonly admin: Admin;
  /** The "ingest" side: writes the paced records and serves the read-back runners' (unused) dead-letter writer. */
  readonly producer: AvroProducer;
  readonly source: RawHandle;
  readonly target: RawHandle;
  readonly groups: { readonly relay: string; readonly readSource: string; readonly readTarget: string };
  /** Records already on the source topic, which start empty otherwise. */
  readonly backlog: number;
  readonly paced: readonly Emit[];
  readonly pacedRate: number;
  readonly chunkSize: number;
  readonly partitionsConcurrently: number;
  readonly logger: Log;
  readonly progress: (line: string) => void;
}

/** Generous: even at 1,000 records/s the defaults finish well within it; a stuck relay ends the run instead of hanging. */
const PHASE_TIMEOUT_MS = 300_000;

/**
 * Phase 1 drains the backlog and times it by the target's high watermarks. Phase 2 keeps the same relay running while
 * records arrive at a steady rate, then reads both topics back to pair each record's source and target append times.
 */
export async function measureRelay(o: MeasureRelayOptions): Promise<{ throughput: RelayThroughput; paced: PacedRelay }> {
  let failed: (error: MeterlineError) => void = () => undefined;
  const fatal = new Promise<never>((_, reject) => (failed = reject));
  // Raced against every wait below, so a failing relay ends the run at once; the handler keeps Node quiet meanwhile.
  fatal.catch(() => undefined);
  const guard = <T>(p: Promise<T>): Promise<T> => Promise.race([p, fatal]);
  const targetTotal = async () => total(await highWatermarks(o.admin, o.target.name));

  const relay = new Relay({
    kafka: o.kafka,
    groupId: o.groups.relay,
    source: o.source,
    target: o.target,
    logger: o.logger,
    chunkSize: o.chunkSize,
    partitionsConcurrently: o.partitionsConcurrently,
    onFatal: (err) => failed(err),
  });
  let stopped = false;
  try {
    const started = performance.now();
    await relay.start();
    const joined = performance.now();
    const cpu = cpuMeter();
    o.progress(`relay joined its group after ${Math.round(joined - started)} ms; draining ${o.backlog} records`);
    const drained = await guard(whenReached(targetTotal, o.backlog, 'the target topic', PHASE_TIMEOUT_MS));
    const nodeCpuPercent = cpu();
    const committed = await guard(
      whenReached(
        async () => total(await committedOffsets(o.admin, o.groups.relay, o.source.name)),
        o.backlog,
        "the relay's committed offsets",
        PHASE_TIMEOUT_MS,
      ),
    );
    const throughput: RelayThroughput = {
      records: o.backlog,
      joinMs: joined - started,
      drainMs: drained - joined,
      recordsPerSec: rate(o.backlog, drained - joined),
      recordsPerSecWithJoin: rate(o.backlog, drained - started),
      commitLagMs: committed - drained,
      nodeCpuPercent,
    };
    o.progress(`relay drained the backlog at ${throughput.recordsPerSec} records/s`);

    const [sourceFrom, targetFrom] = await Promise.all([
      highWatermarks(o.admin, o.source.name),
      highWatermarks(o.admin, o.target.name),
    ]);
    o.progress(`paced phase: ${o.paced.length} records at ${o.pacedRate}/s through the running relay`);
    const offered = await guard(producePaced(o.producer, o.paced, o.pacedRate));
    await guard(whenReached(targetTotal, o.backlog + o.paced.length, 'the target topic', PHASE_TIMEOUT_MS));
    o.progress('paced records relayed; reading both topics back');

    const readBack = (groupId: string, topic: RawHandle, from: ReadonlyMap<number, number>) =>
      readStamps({
        kafka: o.kafka,
        admin: o.admin,
        groupId,
        topic,
        from,
        count: o.paced.length,
        dlq: new DlqWriter(o.producer.producer),
        logger: o.logger,
        timeoutMs: PHASE_TIMEOUT_MS,
      });
    // The relay has done its part and idles; its stop (which waits out its fetch in flight) overlaps the read-back.
    stopped = true;
    const [, sourceStamps, targetStamps] = await Promise.all([
      relay.stop(),
      readBack(o.groups.readSource, o.source, sourceFrom),
      readBack(o.groups.readTarget, o.target, targetFrom),
    ]);
    return { throughput, paced: { offered, latency: relayLatency(sourceStamps, targetStamps) } };
  } finally {
    if (!stopped) await relay.stop();
  }
}
