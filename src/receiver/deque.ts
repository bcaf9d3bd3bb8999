// A first-in first-out line for the receiver's queues.

/** First-in first-out, O(1) at both ends (a shifting array would copy the whole line). */
export class Deque<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  unshift(item: T): void {
    if (this.head === 0) {
      // Room in front as large as the line, so a run of unshifts costs O(1) each on average.
      const room = Math.max(16, this.items.length);
      this.items = [...(new Array(room) as T[]), ...this.items];
      this.head = room;
    }
    this.items[--this.head] = item;
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head]!;
    this.items[this.head++] = undefined as T;
    // Give the taken slots back once they are half the array, so memory follows the length.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
