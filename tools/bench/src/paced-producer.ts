import { setTimeout as sleep } from 'node:timers/promises';
import type { AvroProducer, Emit } from '@meterline/kafka';
import { cpuMeter } from './cpu';
import { rate } from './stats';
import type { ProduceResult } from './kafkajs-produce';

/** How often the paced producer wakes up: 50 sends a second, 40 records each at 2,000 records/s. */
const TICK_MS = 20;

/**
 * Sends `emits` at `ratePerSec`, like a steady ingest would: each tick sends whatever is due by then, so a slow send is
 * caught up on the next tick instead of stretching the phase (the rate holds on average, not per tick).
 */
export async function producePaced(producer: AvroProducer, emits: readonly Emit[], ratePerSec: number): Promise<ProduceResult> {
  const started = performance.now();
  const cpu = cpuMeter();
  let sent = 0;
  while (sent < emits.length) {
    const due = Math.min(emits.length, Math.floor(((performance.now() - started) * ratePerSec) / 1000));
    if (due > sent) {
      await producer.send(emits.slice(sent, due));
      sent = due;
    }
    await sleep(TICK_MS);
  }
  const ms = performance.now() - started;
  return { records: sent, ms, recordsPerSec: rate(sent, ms), nodeCpuPercent: cpu() };
}
