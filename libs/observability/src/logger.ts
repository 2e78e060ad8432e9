import { hostname } from 'node:os';
import { pino, type DestinationStream, type LevelWithSilent, type Logger } from 'pino';

export type { Logger } from 'pino';
export type LogLevel = LevelWithSilent;

export interface LoggerOptions {
  /** The service name: the same word as the folder, the consumer group and the `service` metric label. */
  readonly service: string;
  readonly level: LogLevel;
  /** Where JSON lines go; stdout when omitted. Tests pass a collecting stream. */
  readonly destination?: DestinationStream;
}

/**
 * One JSON object per line with `service`, an ISO `time` and the level as a word (`"level":"warn"`), which log
 * collectors index without knowing pino's numeric levels. Errors logged under `err` keep their message and stack.
 *
 * The default stdout destination is synchronous on purpose: graceful shutdown calls `process.exit` right after its
 * last log line, and an asynchronous buffer would lose exactly the lines that explain why the process stopped.
 */
export function createLogger({ service, level, destination }: LoggerOptions): Logger {
  const options = {
    level,
    base: { service, pid: process.pid, hostname: hostname() },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return pino(options, destination ?? pino.destination({ dest: 1, sync: true }));
}
