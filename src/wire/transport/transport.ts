// The transport: one rank's traffic with every other, composed of sending
// (send.ts: batches per peer, frames), receiving (receive.ts: polling,
// checks, order) and payload placement (placement.ts: how each payload
// travels and where it lands).
import { addon, type NativeComm } from '../../native/addon.js';
import type { Arena, BlockName } from '../../arena/arena.js';
import type { PeerMemory } from '../../arena/peers.js';
import { TaskloafError, type WireError } from '../../errors.js';
import type { Row } from '../frame/batch.js';
import { PayloadPlacement } from './placement.js';
import { Receiver } from './receive.js';
import { Sender } from './send.js';
import { RELEASE, type TransportStats } from './protocol.js';

export type { TransportStats } from './protocol.js';

export interface TransportOptions {
  /** Duplicated: the transport's traffic never meets the program's. */
  comm: NativeComm;
  arena: Arena;
  peers: PeerMemory;
  /** Whether `rank` shares this rank's node (its arena can be mapped). */
  sameNode: (rank: number) => boolean;
  onRow: (row: Row, source: number) => void;
  /** A malformed frame or release; the transport goes on. Default: printed to stderr. */
  onError?: (e: WireError) => void;
  /** Flush a batch at this many rows (default 1024) or bytes (default 256 KiB). */
  maxRows?: number;
  maxBytes?: number;
  /** Frames at least this long are received into the arena (default 16 KiB). */
  arenaReceiveBytes?: number;
  /** How long a frame waits for the pieces of its payload to start arriving before it is rejected (default 10 s: a sender in a long task may not push its pieces out sooner); the rank goes on meanwhile, and only that sender's later frames wait behind it. */
  pieceWaitMs?: number;
}

export class Transport {
  readonly rank: number;
  readonly stats: TransportStats = {
    framesSent: 0, framesReceived: 0, rowsSent: 0, rowsReceived: 0, bytesCopied: 0, byReference: 0, byBytes: 0, bytesSent: 0, malformed: 0,
  };
  /** The transport's own communicator (a duplicate of the one it was given). */
  readonly comm: NativeComm;
  /** Sends every queued batch now. */
  readonly flushAll: () => void;
  private readonly sending: Sender;
  private readonly receiving: Receiver;
  private readonly placement: PayloadPlacement;
  private readonly worldSize: number;
  private closed = false;

  constructor(opts: TransportOptions) {
    this.comm = opts.comm.dup();
    this.rank = this.comm.rank;
    this.worldSize = this.comm.size;
    const arenaReceiveBytes = opts.arenaReceiveBytes ?? 16 * 1024;
    this.placement = new PayloadPlacement({
      rank: this.rank,
      size: this.worldSize,
      comm: this.comm,
      arena: opts.arena,
      peers: opts.peers,
      sameNode: opts.sameNode,
      stats: this.stats,
      arenaReceiveBytes,
      release: (lender, block) => this.release(lender, block),
    });
    this.sending = new Sender(this.comm, this.placement, this.stats, opts.maxRows ?? 1024, opts.maxBytes ?? 256 * 1024);
    this.receiving = new Receiver(this.comm, this.placement, this.stats, opts.onRow, opts.onError, arenaReceiveBytes, opts.pieceWaitMs ?? 10_000);
    this.flushAll = this.sending.flushAll;
  }

  get size(): number {
    return this.worldSize;
  }

  /**
   * Queues one row for `dest`. Its value is encoded (and, for a peer of this
   * node, copied into the arena) now: SerializationError naming `path` if it
   * cannot travel, and nothing is queued.
   */
  send(dest: number, kind: number, rank: number, id: number, aux: number, name: string, value?: unknown, hasValue = value !== undefined, path = 'value'): void {
    this.sending.send(dest, kind, rank, id, aux, name, value, hasValue, path);
  }

  /** Sends (of any kind, by this process) not yet completed. */
  get pendingSends(): number {
    return addon().pendingRequests();
  }

  /** Rows queued and not yet sent. */
  get queued(): number {
    return this.sending.queued;
  }

  /**
   * An Arrow value (Table, RecordBatch, Vector, Data) kept in this rank's
   * arena: copied in once, read back in place (its columns view the block),
   * and marked so that sends to this node go by reference. The value itself
   * when it already lies in an arena, is not Arrow, or the arena is full.
   */
  inArena<T>(value: T): T {
    return this.placement.inArena(value);
  }

  /**
   * Receives and hands up what has arrived (for up to `budgetMs` counted
   * from the 8th frame, or until `stop()` says so after a frame); completes
   * finished sends. Returns frames received.
   */
  poll(budgetMs = Infinity, stop?: () => boolean): number {
    return this.receiving.poll(budgetMs, stop);
  }

  private release(lender: number, block: BlockName): void {
    if (this.closed) return;
    this.sending.send(lender, RELEASE, block.owner, block.segment, block.offset, '');
  }

  /** Blocks of other ranks this rank still holds for peers it passed them to. */
  get borrowedBlocks(): number {
    return this.placement.borrowedBlocks;
  }

  /**
   * Sends what is queued and polls until `done()` is true, yielding to the
   * event loop between polls; after 10 ms without a frame it sleeps between
   * polls (so ranks sharing a core leave it to each other), unless `spin`.
   */
  async until(done: () => boolean, timeoutMs = 60_000, spin = false): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let active = Date.now();
    while (!done()) {
      const now = Date.now();
      this.flushAll();
      if (this.poll() > 0) active = now;
      if (done()) return;
      if (now > deadline) {
        throw new TaskloafError('ERR_TRANSPORT_TIMEOUT', `rank ${this.rank}: the transport waited ${timeoutMs} ms for messages that never came (a rank stopped receiving, or died?)`);
      }
      await new Promise<void>((r) => (!spin && now - active > 10 ? setTimeout(r, 0) : setImmediate(r)));
    }
  }

  /** Sends what is queued and polls until every send has completed. */
  async drain(timeoutMs = 60_000): Promise<void> {
    this.flushAll();
    await this.until(() => addon().pendingRequests() === 0, timeoutMs);
  }

  /**
   * The end of this rank's traffic: no more releases (a collection at exit
   * would otherwise start a send MPI_Finalize cannot wait for), what is
   * queued goes out, every send completes, and every rank gets that far
   * (collective: every rank of the transport calls it).
   */
  async end(timeoutMs = 60_000): Promise<void> {
    this.close();
    await this.drain(timeoutMs);
    // Keep receiving until every rank has drained too: a rank that stopped
    // polling could leave a peer's last send (a release, say) waiting forever
    // for room in its receive queue.
    this.comm.ibarrier();
    await this.until(() => addon().pendingRequests() === 0, timeoutMs);
  }

  /** Sends what is queued and stops giving blocks back (the job is ending). */
  close(): void {
    this.flushAll();
    this.closed = true;
  }
}
