/**
 * Rate control for a replay: as fast as possible, a fixed number of records per second, or the records' own event
 * times replayed `speed` times faster than real time (1 = as they happened). `wait` is called before each batch
 * with how many records it holds and the event time of its first record.
 */
export type Pace = { readonly kind: 'max' } | { readonly kind: 'rate'; readonly perSecond: number } | { readonly kind: 'speed'; readonly factor: number };

export interface Pacer {
  wait(records: number, firstEventTimeMs: number | undefined): Promise<void>;
}

export function pacer(pace: Pace, now: () => number = () => performance.now(), sleep = defaultSleep): Pacer {
  const started = now();
  let sent = 0;
  let firstEvent: number | undefined;
  return {
    async wait(records, firstEventTimeMs) {
      let due = started;
      if (pace.kind === 'rate') {
        due = started + (sent / pace.perSecond) * 1000;
      } else if (pace.kind === 'speed' && firstEventTimeMs !== undefined) {
        firstEvent ??= firstEventTimeMs;
        due = started + (firstEventTimeMs - firstEvent) / pace.factor;
      }
      sent += records;
      const delay = due - now();
      if (delay > 1) await sleep(delay);
    },
  };
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
