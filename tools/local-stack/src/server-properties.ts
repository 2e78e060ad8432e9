import { randomBytes } from 'node:crypto';

export interface KafkaServerValues {
  readonly kafkaPort: number;
  readonly controllerPort: number;
  /** Absolute directory of the broker's data (log.dirs). */
  readonly logDirs: string;
}

/**
 * Fills the `{{name}}` placeholders of deploy/local/kafka/server.properties.template. A placeholder without a value is
 * an error, not an empty string: a broker with `listeners=PLAINTEXT://127.0.0.1:` fails far from the cause.
 */
export function renderServerProperties(template: string, values: KafkaServerValues): string {
  const byName: Record<string, string> = {
    kafkaPort: String(values.kafkaPort),
    controllerPort: String(values.controllerPort),
    logDirs: escapePropertyValue(values.logDirs),
  };
  const missing = new Set<string>();
  const rendered = template.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_match, name: string) => {
    const value = byName[name];
    if (value === undefined) missing.add(name);
    return value ?? '';
  });
  if (missing.size > 0) throw new Error(`server.properties template has unknown placeholders: ${[...missing].join(', ')}`);
  return rendered;
}

/** In Java properties a backslash starts an escape (and `\u` a unicode escape), so a Windows-style path must double them. */
const escapePropertyValue = (value: string): string => value.replace(/\\/g, '\\\\');

/**
 * A KRaft cluster id as `kafka-storage random-uuid` prints it: 16 random bytes in unpadded URL-safe base64 (22 chars).
 * Made here rather than by a JVM start (~0.5 s). Kafka rejects ids that begin with "-" (they read as a CLI flag).
 */
export function newClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
