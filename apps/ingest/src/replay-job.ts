import type { Logger } from '@meterline/observability';
import { replay, type ReplayOptions } from './cli/replay-command';
import { summary } from './cli/progress';
import type { Ingestor } from './writer/ingestor';

export interface ReplayJob {
  /** Asks the replay to stop after the batch in flight, and waits for it. */
  stop(): Promise<void>;
}

/**
 * `ingest replay` as a job of the running service (INGEST_REPLAY_INPUTS): the same reading, mapping, pacing and
 * transactions as the CLI, with progress and the summary in the service's log. A replay that fails is logged and
 * ends; the service keeps serving its other sources.
 */
export function startReplayJob(ingestor: Ingestor, options: ReplayOptions, logger: Logger): ReplayJob {
  let stopping = false;
  const started = performance.now();
  const log = { isTTY: false, write: (line: string) => (logger.info({ job: 'replay' }, line.trim()), true) } as unknown as NodeJS.WriteStream;
  const done = replay(options, ingestor, log, () => stopping).then(
    (counts) => logger.info({ job: 'replay', summary: summary(counts, performance.now() - started) }, 'replay finished'),
    (err: unknown) => logger.error({ job: 'replay', err }, 'replay failed'),
  );
  return {
    async stop() {
      stopping = true;
      await done;
    },
  };
}
