interface Timer {
  readonly at: number;
  readonly key: string;
}

/**
 * A min-heap of (watermark, key) reminders: "look at this key's windows once the watermark reaches `at`". Reminders are
 * hints, not state: the engine re-checks the key's windows when one fires, so stale or duplicate reminders (a session
 * that grew, a window corrected twice) cost a lookup and never change a result. That is also why the queue is never
 * persisted: restoring state rebuilds it from the windows.
 */
export class TimerQueue {
  private readonly heap: Timer[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(at: number, key: string): void {
    const heap = this.heap;
    heap.push({ at, key });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Removes and returns the keys of every reminder due at `watermark`, in (at, key) order. */
  popDue(watermark: number): string[] {
    const due: string[] = [];
    for (let top = this.heap[0]; top !== undefined && top.at <= watermark; top = this.heap[0]) {
      due.push(top.key);
      this.popTop();
    }
    return due;
  }

  clear(): void {
    this.heap.length = 0;
  }

  private popTop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (last === undefined || heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && this.less(left, smallest)) smallest = left;
      if (right < heap.length && this.less(right, smallest)) smallest = right;
      if (smallest === i) return;
      this.swap(i, smallest);
      i = smallest;
    }
  }

  private less(i: number, j: number): boolean {
    const a = this.heap[i];
    const b = this.heap[j];
    if (a === undefined || b === undefined) return false;
    return a.at < b.at || (a.at === b.at && a.key < b.key);
  }

  private swap(i: number, j: number): void {
    const heap = this.heap;
    const a = heap[i];
    const b = heap[j];
    if (a === undefined || b === undefined) return;
    heap[i] = b;
    heap[j] = a;
  }
}
