import { probeKafka } from './kafka-probe';

export interface Readiness {
  readonly ready: boolean;
  /** What was seen, for status output and for the error when start-up times out. */
  readonly detail: string;
}

/** Kafka is ready once a Metadata answer lists a broker (see kafka-probe.ts for why that, and not a log line). */
export async function kafkaReadiness(port: number, timeoutMs = 2_000): Promise<Readiness> {
  try {
    const meta = await probeKafka('127.0.0.1', port, timeoutMs);
    const broker = meta.brokers[0];
    return broker
      ? { ready: true, detail: `cluster ${meta.clusterId ?? '?'}, broker ${broker.nodeId} at ${broker.host}:${broker.port}` }
      : { ready: false, detail: 'Metadata lists no broker yet' };
  } catch (err) {
    return { ready: false, detail: (err as Error).message };
  }
}
