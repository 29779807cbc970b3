// A rank's arena: segments of shared memory on its NUMA node, carved by the
// owner-only allocator. Blocks are named (owner, segment, offset, length) so a
// peer on the same node can view them in place. A block lent to peers is
// freed only when the last of them has given it back.
import { addon } from '../native/addon.js';
import { onCleanup } from '../native/cleanup.js';
import { Allocator, blockKey as key, type AllocatorStats } from './allocator.js';
import { newRunId, runPrefix, segmentName, sweep } from './names.js';
import { arenaSizes } from './sizes.js';
import { readEnv } from '../env.js';
import { ArenaBlockError, TaskloafError } from '../errors.js';

/** Names a block anywhere in the job. */
export interface BlockName {
  owner: number;
  segment: number;
  offset: number;
  length: number;
}

/** A block of this rank's arena and a view of its bytes. */
export interface Block extends BlockName {
  bytes: Uint8Array;
}

export interface ArenaOptions {
  job: string;
  /** The run's random id (world.run), which peers name the segments by; else TASKLOAF_RUN_ID, else a fresh one (an arena with no peers). */
  run?: string;
  rank: number;
  /** NUMA node for the pages (-1: first touch by the pinned owner). */
  numaNode: number;
  /** Bytes per segment (else TASKLOAF_ARENA_SEGMENT, else 64 MiB). */
  segmentBytes?: number;
  /** Most bytes over all segments (else TASKLOAF_ARENA_LIMIT, else half the node's memory over its ranks). */
  limitBytes?: number;
  /** Ranks on this node, for the default limit. */
  localSize?: number;
}

export interface ArenaStats extends AllocatorStats {
  /** Blocks currently lent to peers, and the loans outstanding. */
  lentBlocks: number;
  loans: number;
  /** Blocks the owner freed that wait for peers to give them back. */
  deferredFrees: number;
}

interface Loan {
  count: number;
  freed: boolean;
}

export class Arena {
  readonly job: string;
  readonly run: string;
  readonly rank: number;
  readonly numaNode: number;
  readonly segments: ArrayBuffer[] = [];
  /** Most bytes the arena may hold. */
  readonly limitBytes: number;
  private readonly allocator: Allocator;
  private readonly loans = new Map<number, Loan>();
  private closed = false;
  private readonly removeCleanup: () => void;

  constructor(opts: ArenaOptions) {
    this.job = opts.job;
    this.run = opts.run ?? readEnv('TASKLOAF_RUN_ID') ?? newRunId();
    this.rank = opts.rank;
    this.numaNode = opts.numaNode;
    // An earlier start of this rank in the same run (a given run id) may have
    // died and left names behind; names of other users are left alone.
    sweep(runPrefix(this.job, this.run, this.rank));
    const sizes = arenaSizes(opts);
    this.limitBytes = sizes.limitBytes;
    this.allocator = new Allocator({
      ...sizes,
      grow: (index, bytes) => {
        if (this.closed) throw new TaskloafError('ERR_ARENA_CLOSED', 'the arena is closed');
        this.segments[index] = addon().shmCreate(segmentName(this.job, this.run, this.rank, index), bytes, this.numaNode);
      },
    });
    this.removeCleanup = onCleanup(() => this.unlinkAll());
  }

  /** Allocates `bytes` (64-byte aligned); ArenaFullError when it cannot. */
  alloc(bytes: number): Block {
    const p = this.allocator.alloc(bytes);
    return {
      owner: this.rank,
      segment: p.segment,
      offset: p.offset,
      length: bytes,
      bytes: new Uint8Array(this.segments[p.segment]!, p.offset, bytes),
    };
  }

  /** Frees a block of this arena; deferred while peers still view it. */
  free(block: BlockName): void {
    this.ownBlock(block);
    const loan = this.loans.get(key(block.segment, block.offset));
    if (loan) {
      if (loan.freed) throw new ArenaBlockError('ERR_DOUBLE_FREE', `block ${describe(block)} was already freed`);
      loan.freed = true;
      return;
    }
    this.allocator.free(block.segment, block.offset);
  }

  /** Records that a peer will view `block`; it stays allocated until given back. */
  lend(block: BlockName, peers = 1): BlockName {
    this.ownBlock(block);
    const k = key(block.segment, block.offset);
    const loan = this.loans.get(k);
    if (loan?.freed) throw new ArenaBlockError('ERR_BLOCK_FREED', `block ${describe(block)} was freed; it cannot be lent`);
    if (loan) loan.count += peers;
    else this.loans.set(k, { count: peers, freed: false });
    return { owner: block.owner, segment: block.segment, offset: block.offset, length: block.length };
  }

  /** A peer gave `block` back (its release message arrived). */
  returned(block: BlockName): void {
    this.ownBlock(block);
    const k = key(block.segment, block.offset);
    const loan = this.loans.get(k);
    if (!loan) throw new ArenaBlockError('ERR_NOT_LENT', `block ${describe(block)} is not lent to any peer`);
    if (--loan.count > 0) return;
    this.loans.delete(k);
    if (loan.freed) this.allocator.free(block.segment, block.offset);
  }

  stats(): ArenaStats {
    let loans = 0;
    let deferred = 0;
    for (const l of this.loans.values()) {
      loans += l.count;
      if (l.freed) deferred++;
    }
    return { ...this.allocator.stats(), lentBlocks: this.loans.size, loans, deferredFrees: deferred };
  }

  /** Removes the segments' names (mappings live on until their views are gone). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unlinkAll();
    this.removeCleanup();
  }

  private unlinkAll(): void {
    for (let i = 0; i < this.segments.length; i++) {
      try {
        addon().shmUnlink(segmentName(this.job, this.run, this.rank, i));
      } catch {
        /* cleanup goes on with the next name */
      }
    }
  }

  private ownBlock(block: BlockName): void {
    if (block.owner !== this.rank) {
      throw new ArenaBlockError('ERR_FOREIGN_BLOCK', `block ${describe(block)} belongs to rank ${block.owner}, not to rank ${this.rank}`);
    }
  }
}

export function describe(b: BlockName): string {
  return `(owner ${b.owner}, segment ${b.segment}, offset ${b.offset}, length ${b.length})`;
}
