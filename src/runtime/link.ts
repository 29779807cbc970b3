// The connection as the runtime sees it: rows out to a rank, rows in from
// any. The transport over MPI is one; test/helpers/fake-link.ts is another,
// so that queues, stealing and ref counting are tested without mpirun.
import type { Row } from '../wire/frame/batch.js';

export type { Row };

export interface Link {
  readonly rank: number;
  readonly size: number;
  /** Queues one row for `dest` (encoding its value now: a value that cannot travel throws and queues nothing). */
  send(dest: number, kind: number, rank: number, id: number, aux: number, name: string, value?: unknown, hasValue?: boolean, path?: string): void;
  /** Sends every queued row now (a link sends only when told, or when a batch fills). */
  flushAll(): void;
  /** Receives for up to `budgetMs`, handing each row to the row handler; stops early once `stop()` says so; returns frames received. */
  poll(budgetMs?: number, stop?: () => boolean): number;
  /** Sends not yet completed, and rows not yet sent. */
  readonly pendingSends: number;
  readonly queued: number;
  /** `value`, moved into this rank's shared memory where that lets peers read it in place. */
  inArena<T>(value: T): T;
  /** Sends what is queued and polls until `done()`, yielding to the event loop between polls. */
  until(done: () => boolean, timeoutMs?: number): Promise<void>;
  /** Sends what is queued; from now on nothing but what the runtime still sends. */
  close(): void;
  /** The end of this rank's traffic (collective). */
  end(): Promise<void>;
}

/** Makes the link of this rank, handing every row that arrives to `onRow`. */
export type Connect = (onRow: (row: Row, source: number) => void) => Link;
