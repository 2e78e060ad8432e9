import type { ComposeFile, ComposeService } from './compose';

export const KAFKA_IMAGE = 'apache/kafka';
export const SCHEMA_REGISTRY_IMAGE = 'confluentinc/cp-schema-registry';

export interface Listener {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

/** `NAME://host:port,...` as in Kafka's `listeners` and `advertised.listeners` (an empty host: the default interface). */
export function parseListeners(value: string): Listener[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const m = /^([A-Za-z0-9_]+):\/\/([^:/]*):(\d+)$/.exec(s);
      if (m?.[1] === undefined || m[2] === undefined || m[3] === undefined) {
        throw new Error(`cannot read the listener ${s}`);
      }
      return { name: m[1], host: m[2], port: Number(m[3]) };
    });
}

/** The broker: the one service of the Kafka image configured as a node (kafka-init runs the same image for its tools). */
export function kafkaBroker(compose: ComposeFile): [string, ComposeService] {
  const found = Object.entries(compose.services).filter(
    ([, s]) => s.image?.split(':')[0] === KAFKA_IMAGE && s.environment['KAFKA_PROCESS_ROLES'] !== undefined,
  );
  if (found.length !== 1 || found[0] === undefined) {
    throw new Error(`expected one Kafka node in compose, found ${found.length}`);
  }
  return found[0];
}

/**
 * The broker address other containers use: the advertised listener whose host is the broker's own compose name,
 * which Docker's DNS resolves inside the network (the other advertised listener names localhost, for the host).
 */
export function kafkaInNetworkListener(compose: ComposeFile): Listener {
  const [name, kafka] = kafkaBroker(compose);
  const advertised = parseListeners(kafka.environment['KAFKA_ADVERTISED_LISTENERS'] ?? '');
  const inNetwork = advertised.filter((l) => l.host === name || l.host === kafka.hostname);
  if (inNetwork.length !== 1 || inNetwork[0] === undefined) {
    throw new Error(`expected one advertised listener of ${name} on host ${name}, found ${inNetwork.length}`);
  }
  return inNetwork[0];
}
