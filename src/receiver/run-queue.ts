// The queue of alerts waiting for their remediation, indexed so that neither accepting an alert
// nor finishing a run looks at the waiting alerts one by one. One scan of a single array did
// both before: with 31.7k alerts queued behind a busy remediation, every duplicate re-sent by
// Alertmanager scanned them all, and duplicates fell from 4,572 to 293 per second.
//
// Alerts wait in one line per remediation (slots are per remediation, so no line can hold up
// another), oldest first. An alert whose start could not be written waits out its backoff in a
// heap ordered by due time, then goes back to the front of its line. Adding an alert, taking the
// next startable one and moving a due retry are O(1) or O(log n); a pass over the queue costs
// one step per remediation that has alerts waiting, plus one per alert it starts.
import { Deque } from './deque.js';

/** Binary min-heap by `retryAt`. */
class RetryHeap<T extends { retryAt?: number | undefined }> {
  private readonly items: T[] = [];

  get length(): number {
    return this.items.length;
  }

  private at(i: number): number {
    return this.items[i]!.retryAt ?? 0;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const a = this.items;
    a.push(item);
    for (let i = a.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (this.at(parent) <= this.at(i)) break;
      [a[parent], a[i]] = [a[i]!, a[parent]!];
      i = parent;
    }
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    a[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < a.length && this.at(l) < this.at(min)) min = l;
      if (r < a.length && this.at(r) < this.at(min)) min = r;
      if (min === i) break;
      [a[min], a[i]] = [a[i]!, a[min]!];
      i = min;
    }
    return top;
  }
}

export interface Queued {
  alert: { remediation: string };
  /** Set while the alert waits out the backoff after a failed start. */
  retryAt?: number | undefined;
}

export class RunQueue<E extends Queued> {
  /** One line per remediation name; a line is removed once it is empty. */
  private readonly lines = new Map<string, Deque<E>>();
  private readonly waiting = new RetryHeap<E>();
  private queued = 0;

  /** Alerts waiting, in their lines and in backoff. */
  get size(): number {
    return this.queued + this.waiting.length;
  }

  /** When the next alert in backoff is due, if any is. */
  get nextRetryAt(): number | undefined {
    return this.waiting.peek()?.retryAt;
  }

  /** Adds an alert at the back of its remediation's line. */
  push(ev: E): void {
    this.line(ev.alert.remediation).push(ev);
    this.queued++;
  }

  /** Puts an alert whose start failed back: it waits until `ev.retryAt`, then goes first. */
  retry(ev: E): void {
    this.waiting.push(ev);
  }

  /** Moves the alerts whose backoff is over to the front of their lines. */
  releaseDue(now: number): void {
    const due: E[] = [];
    while ((this.waiting.peek()?.retryAt ?? Infinity) <= now) due.push(this.waiting.pop()!);
    // Reversed, so the one due first ends up first.
    for (const ev of due.reverse()) {
      this.line(ev.alert.remediation).unshift(ev);
      this.queued++;
    }
  }

  /**
   * Yields the next alert of each remediation for as long as `hasSlot(name)` says it may start
   * another; the caller starts each one before asking for the next.
   */
  *startable(hasSlot: (remediation: string) => boolean): Generator<E> {
    for (const [name, line] of this.lines) {
      while (line.length > 0 && hasSlot(name)) {
        this.queued--;
        yield line.shift()!;
      }
      if (line.length === 0) this.lines.delete(name);
    }
  }

  private line(name: string): Deque<E> {
    let line = this.lines.get(name);
    if (!line) {
      line = new Deque<E>();
      this.lines.set(name, line);
    }
    return line;
  }
}
