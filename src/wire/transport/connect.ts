// The transport of this rank, wired to MPI, its arena and its node's peers.
// What it needs to know of the rank and the job comes from the caller (the
// runtime, once MPI has started): this layer knows nothing above it.
import { Arena } from '../../arena/arena.js';
import { hostname } from 'node:os';
import { PeerMemory } from '../../arena/peers.js';
import { world as worldComm } from '../../native/mpi.js';
import { Transport, type TransportOptions } from './transport.js';

export interface Connection {
  transport: Transport;
  arena: Arena;
  peers: PeerMemory;
}

export type ConnectOptions = Pick<TransportOptions, 'onRow' | 'onError' | 'maxRows' | 'maxBytes' | 'arenaReceiveBytes' | 'pieceWaitMs'> & {
  arenaSegmentBytes?: number;
  arenaLimitBytes?: number;
};

/** Where this rank is: the fields of the runtime's `world` the transport and arena need. */
export interface Here {
  job: string;
  run: string;
  rank: number;
  numaNode: number;
  localSize: number;
  /** This rank's node, and the node of every rank. */
  node: number;
  nodeOf: readonly number[];
}

/** Connects this rank; MPI must have started (`here` comes from it). */
export function connectAt(here: Here, opts: ConnectOptions): Connection {
  const arena = new Arena({
    job: here.job,
    run: here.run,
    rank: here.rank,
    numaNode: here.numaNode,
    localSize: here.localSize,
    segmentBytes: opts.arenaSegmentBytes,
    limitBytes: opts.arenaLimitBytes,
  });
  // With no other rank on the node, nothing is ever mapped from a peer.
  const peers = new PeerMemory(here.job, here.run, here.localSize > 1 ? `rank ${here.rank} on ${hostname()}` : undefined);
  const node = here.nodeOf;
  const self = here.node;
  const transport = new Transport({ ...opts, comm: worldComm(), arena, peers, sameNode: (r) => node[r] === self });
  return { transport, arena, peers };
}
