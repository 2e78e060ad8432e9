import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { parseConsumerPerf, parseProducerPerf, type ConsumerPerfSummary, type ProducerPerfSummary } from './perf-output';

/** Where Kafka's own tools come from: the stack's jars and a Java 17+ runtime. */
export interface KafkaTools {
  readonly java: string;
  readonly libsDir: string;
  readonly brokers: readonly string[];
  /** Progress lines of the tools (they print one every few seconds). */
  readonly progress: (line: string) => void;
}

/** Runs one tool class to completion and returns its stdout; a non-zero exit throws with both streams. */
function runTool(tools: KafkaTools, mainClass: string, args: readonly string[]): Promise<string> {
  // `-cp dir/*` is expanded by the JVM itself (no shell), to every jar in the directory.
  const argv = ['-cp', path.join(tools.libsDir, '*'), mainClass, ...args];
  const name = mainClass.split('.').at(-1) ?? mainClass;
  return new Promise((resolve, reject) => {
    const child = spawn(tools.java, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let shown = 0;
    // stderr holds log4j's "no appenders" warnings; it is kept only for the error message.
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      // Chunks end anywhere; pass on complete lines only.
      const end = stdout.lastIndexOf('\n') + 1;
      for (const line of stdout.slice(shown, end).split('\n')) if (line.trim()) tools.progress(`${name}: ${line.trim()}`);
      shown = Math.max(shown, end);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${name} exited with ${code}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
    });
  });
}

/** Kafka's producer at full speed (`--throughput -1`), acks=all like AvroProducer, random 200-byte values, no keys. */
export async function producerPerformance(
  tools: KafkaTools,
  topic: string,
  records: number,
  recordSize: number,
): Promise<ProducerPerfSummary> {
  const stdout = await runTool(tools, 'org.apache.kafka.tools.ProducerPerformance', [
    '--topic', topic,
    '--num-records', String(records),
    '--record-size', String(recordSize),
    '--throughput', '-1',
    '--producer-props', `bootstrap.servers=${tools.brokers.join(',')}`, 'acks=all',
  ]);
  return parseProducerPerf(stdout);
}

/** Kafka's consumer reading `records` from the start of the topic in a fresh group (named, so it can be deleted). */
export async function consumerPerformance(
  tools: KafkaTools,
  topic: string,
  group: string,
  records: number,
): Promise<ConsumerPerfSummary> {
  const stdout = await runTool(tools, 'org.apache.kafka.tools.ConsumerPerformance', [
    '--bootstrap-server', tools.brokers.join(','),
    '--topic', topic,
    '--group', group,
    '--messages', String(records),
    // The longest pause between two polls that return records before the tool gives up; generous for a busy machine.
    '--timeout', '60000',
  ]);
  return parseConsumerPerf(stdout);
}

/** The Kafka client version the tools run (from `kafka-clients-<version>.jar`), so results name what they measured. */
export function kafkaVersionIn(libsDir: string): string {
  const jar = readdirSync(libsDir).find((f) => /^kafka-clients-.+\.jar$/.test(f));
  return jar?.replace(/^kafka-clients-(.+)\.jar$/, '$1') ?? 'unknown';
}
