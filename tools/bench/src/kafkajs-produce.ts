import { emit, type AvroProducer, type Emit } from '@meterline/kafka';
import { cpuMeter } from './cpu';
import type { RawHandle } from './bench-topics';
import { sampleRecord } from './sample-records';
import { rate } from './stats';

export interface ProduceResult {
  readonly records: number;
  readonly ms: number;
  readonly recordsPerSec: number;
  /** This process's CPU over the phase, % of one core (see cpuMeter). */
  readonly nodeCpuPercent: number;
}

/**
 * Sends pre-built records through `AvroProducer.send` (Avro encoding included, as every service pays it) in batches
 * of `batch`, keeping `inFlight` sends outstanding. Each send is one Produce request, acknowledged by all in-sync
 * replicas. One send in flight is the default because it is what a service awaiting each batch does, and because more
 * did not help here: the Node process already runs at ~100 % of a core (Avro encoding is ~15 % of that, kafkajs's
 * record-batch building and CRC the rest), so a second or fourth send only queues behind the same thread.
 */
export async function produceAll(
  producer: AvroProducer,
  emits: readonly Emit[],
  batch: number,
  inFlight: number,
): Promise<ProduceResult> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < emits.length) {
      const start = next;
      next += batch;
      await producer.send(emits.slice(start, start + batch));
    }
  };
  const started = performance.now();
  const cpu = cpuMeter();
  await Promise.all(Array.from({ length: inFlight }, worker));
  const ms = performance.now() - started;
  return { records: emits.length, ms, recordsPerSec: rate(emits.length, ms), nodeCpuPercent: cpu() };
}

export interface Backlog {
  readonly produce: ProduceResult;
  /** Mean framed sizes (5-byte header + Avro body) of the records' values and keys. */
  readonly valueBytes: number;
  readonly keyBytes: number;
}

/**
 * Builds records 0 … count−1, measures their encoded size, then times producing them. Only figures leave this
 * function: the records become garbage before the relay runs in this same process, whose latency a large live heap
 * (slower major GCs) would otherwise distort.
 */
export async function produceBacklog(
  producer: AvroProducer,
  topic: RawHandle,
  count: number,
  batch: number,
  inFlight: number,
): Promise<Backlog> {
  const samples = Array.from({ length: count }, (_, seq) => sampleRecord(seq));
  // Encoding every record once also warms avsc's generated encoders before anything is timed.
  let valueBytes = 0;
  let keyBytes = 0;
  for (const { key, value } of samples) {
    valueBytes += topic.value.encode(value).length;
    keyBytes += topic.key.encode(key).length;
  }
  const emits = samples.map(({ key, value }) => emit(topic, key, value));
  const produce = await produceAll(producer, emits, batch, inFlight);
  return { produce, valueBytes: valueBytes / count, keyBytes: keyBytes / count };
}
