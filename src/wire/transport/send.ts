// Sending: rows go into a batch per destination and leave as one frame when
// flushAll() is called (the runtime's Outbound owns that timing), or sooner
// when the batch is full or holds a large payload. The sender never picks a
// time by itself. Frames to one rank are numbered.
import { InvalidArgumentError } from '../../errors.js';
import { addon, type NativeComm } from '../../native/addon.js';
import { isend } from '../../native/mpi.js';
import { BatchBuilder } from '../frame/batch.js';
import { FrameKind, type FrameHeader } from '../frame/layout.js';
import { assemble, assembleRows, type Placement } from '../frame/writer.js';
import { DETACH_BYTES } from '../memory/pieces.js';
import type { PayloadPlacement } from './placement.js';
import { TAG_PAYLOAD, TAG_PIECE, TAG_PLAIN, type TransportStats } from './protocol.js';

// Every send of this process has completed (frames of a send slab may be written again).
const sendsDone = (): boolean => addon().requestCount[0] === 0;

class Peer {
  readonly builder = new BatchBuilder();
  /** The header of the next frame to the peer (one object, renumbered per frame). */
  readonly header: FrameHeader;
  placements: Placement[] = [];
  gathered = 0;
  sequence = 0;
  dirty = false;

  constructor(sender: number) {
    this.header = { kind: FrameKind.Tasks, flags: 0, sender, sequence: 0 };
  }
}

export class Sender {
  private readonly peers: Peer[];
  private readonly dirty: number[] = [];

  constructor(
    private readonly comm: NativeComm,
    private readonly placement: PayloadPlacement,
    private readonly stats: TransportStats,
    private readonly maxRows: number,
    private readonly maxBytes: number,
  ) {
    this.peers = Array.from({ length: comm.size }, () => new Peer(comm.rank));
  }

  /** Queues one row for `dest` (Transport.send). */
  send(dest: number, kind: number, rank: number, id: number, aux: number, name: string, value?: unknown, hasValue = value !== undefined, path = 'value'): void {
    const p = this.peers[dest];
    if (!p) throw new InvalidArgumentError('ERR_INVALID_ARG_VALUE', `rank ${dest} is not in a world of ${this.peers.length}`);
    const b = p.builder;
    const before = b.payloads.length;
    b.add(kind, rank, id, aux, name, value, hasValue, path);
    for (let i = before; i < b.payloads.length; i++) {
      const placement = this.placement.placementFor(dest, b.payloads[i]!);
      if ('chunks' in placement && placement.length >= DETACH_BYTES) p.gathered += placement.length;
      p.placements.push(placement);
    }
    if (b.count >= this.maxRows || b.bytesHint >= this.maxBytes || p.gathered >= this.maxBytes) {
      this.flushPeer(dest);
      return;
    }
    if (!p.dirty) {
      p.dirty = true;
      this.dirty.push(dest);
    }
  }

  /** Sends every queued batch now. */
  readonly flushAll = (): void => {
    if (this.dirty.length === 0) return;
    for (const d of this.dirty) this.flushPeer(d);
    this.dirty.length = 0;
  };

  /** Rows queued and not yet sent. */
  get queued(): number {
    let n = 0;
    for (const p of this.peers) n += p.builder.count;
    return n;
  }

  private flushPeer(dest: number): void {
    const p = this.peers[dest]!;
    p.dirty = false;
    const b = p.builder;
    if (b.count === 0) return;
    const h = p.header;
    h.sequence = p.sequence++;
    this.stats.framesSent++;
    this.stats.rowsSent += b.count;
    if (p.placements.length === 0) {
      // The common frame: rows only.
      const frame = assembleRows(h, b, sendsDone);
      b.clear();
      isend(this.comm, dest, TAG_PLAIN, frame);
      return;
    }
    const tag = p.placements.some((x) => 'chunks' in x) ? TAG_PAYLOAD : TAG_PLAIN;
    const { frame, follow } = assemble(h, b, p.placements);
    b.clear();
    p.placements = [];
    p.gathered = 0;
    isend(this.comm, dest, tag, frame);
    for (const piece of follow) isend(this.comm, dest, TAG_PIECE, piece);
  }
}
