import type { Item, Rejected } from '@meterline/stream';
import type { RecordContext } from '../consumed-record';
import type { Sink } from '../sink';

/** A real Sink that keeps outputs in memory, for tests that read a topic back. Not exported from index.ts. */
export class CollectingSink<O> implements Sink<O> {
  readonly items: Item<O, RecordContext>[] = [];

  async write(items: readonly Item<O, RecordContext>[]): Promise<readonly Rejected<RecordContext>[]> {
    this.items.push(...items);
    return [];
  }

  get values(): O[] {
    return this.items.map((i) => i.value);
  }
}
