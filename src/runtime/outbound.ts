// The one owner of send timing. Rows queued while user code runs leave
// together once it yields (a microtask: a synchronous burst shares a frame,
// a lone call waits for no event-loop turn); rows queued inside a progress
// turn leave when the turn says so. The link itself never picks a time:
// it sends on flushAll(), or when a batch fills.
import type { Link } from './link.js';

const RESOLVED = Promise.resolve();

export class Outbound {
  private inTurn = false;
  private scheduled = false;

  constructor(private readonly link: Link) {}

  /** Queues one row (see Link.send); it leaves with the next flush. */
  send(dest: number, kind: number, rank: number, id: number, aux: number, name: string, value?: unknown, hasValue = value !== undefined, path = 'value'): void {
    this.link.send(dest, kind, rank, id, aux, name, value, hasValue, path);
    if (!this.inTurn && !this.scheduled) {
      this.scheduled = true;
      // A resolved promise, not queueMicrotask: that builds an AsyncResource per call.
      RESOLVED.then(this.flush);
    }
  }

  /** Sends everything queued now. */
  readonly flush = (): void => {
    this.scheduled = false;
    this.link.flushAll();
  };

  /** A progress turn begins: what it queues leaves when it flushes, at the latest as it ends. */
  beginTurn(): void {
    this.inTurn = true;
  }

  endTurn(): void {
    this.inTurn = false;
    this.flush();
  }
}
