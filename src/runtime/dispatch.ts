// Message dispatch: one handler per message kind, registered by the part of
// the runtime that owns it. A kind no part registered (a rank running another
// taskloaf version, or a corrupted row) is refused: counted and reported,
// never silently dropped, never run.
import { RuntimeStateError, WireError } from '../errors.js';
import type { Row } from './link.js';
import type { RuntimeCounters } from './counters.js';

/** What a row brought, for the turn that received it. */
export const enum Arrival {
  /** Steal chatter only (a request when there is nothing to give, an empty answer). */
  Chatter = 0,
  /** Work, a result, a reference or control message: worth another turn. */
  Useful = 1,
  /** It settled a future of this rank: the code awaiting it should run soon. */
  Settled = 2,
}

export type Handler = (row: Row, source: number) => number;

const KINDS = 256;

export class Dispatch {
  private readonly handlers: (Handler | undefined)[] = new Array(KINDS).fill(undefined);
  private readonly reported = new Set<number>();
  /** The Arrival flags of every row since the last reset(). */
  brought = 0;

  constructor(
    private readonly counters: RuntimeCounters,
    private readonly report: (e: WireError) => void,
  ) {}

  on(kind: number, handler: Handler): void {
    if (this.handlers[kind]) throw new RuntimeStateError(`message kind ${kind} has two handlers`);
    this.handlers[kind] = handler;
  }

  reset(): void {
    this.brought = 0;
  }

  /** Hands one row to its kind's handler. */
  readonly deliver = (row: Row, source: number): void => {
    const h = this.handlers[row.kind];
    if (h === undefined) {
      this.refuse(row, source);
      return;
    }
    this.brought |= h(row, source);
  };

  private refuse(row: Row, source: number): void {
    this.counters.unknownMessages++;
    // One report per kind: a peer of another version would otherwise flood stderr.
    if (this.reported.has(row.kind)) return;
    this.reported.add(row.kind);
    this.report(new WireError('ERR_UNKNOWN_MESSAGE', `rank ${source} sent a message of kind ${row.kind}, which this rank does not know (do all ranks run the same taskloaf?): refused`, source));
  }
}
