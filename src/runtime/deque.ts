// A rank's stealable tasks: the owner takes the newest (LIFO: the subtree it
// just spawned, warm in cache, and the queue stays short for recursive work);
// thieves take the oldest (FIFO: in divide-and-conquer the oldest tasks are
// the biggest, so one steal moves much work).
export class Deque<T> {
  private items: (T | undefined)[] = new Array(64);
  private head = 0; // oldest
  private tail = 0; // one past the newest

  get length(): number {
    return this.tail - this.head;
  }

  push(x: T): void {
    if (this.tail === this.items.length) this.grow();
    this.items[this.tail++] = x;
  }

  /** The newest (owner). */
  pop(): T | undefined {
    if (this.tail === this.head) return undefined;
    const x = this.items[--this.tail];
    this.items[this.tail] = undefined;
    if (this.tail === this.head) this.head = this.tail = 0;
    return x;
  }

  /** The oldest (thief, or a FIFO queue). */
  shift(): T | undefined {
    if (this.tail === this.head) return undefined;
    const x = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.tail === this.head) this.head = this.tail = 0;
    return x;
  }

  /** Everything, oldest first, leaving the deque empty. */
  drain(): T[] {
    const out = this.items.slice(this.head, this.tail) as T[];
    this.items = new Array(64);
    this.head = this.tail = 0;
    return out;
  }

  private grow(): void {
    const n = this.length;
    const next = new Array<T | undefined>(Math.max(64, n * 2));
    for (let i = 0; i < n; i++) next[i] = this.items[this.head + i];
    this.items = next;
    this.head = 0;
    this.tail = n;
  }
}
