// The transport of this rank, wired to MPI, its arena and its node's peers.
import { Arena } from '../../arena/arena.js';
import { PeerMemory } from '../../arena/peers.js';
import { world as worldComm } from '../../native/mpi.js';
import { start, world } from '../../runtime/world.js';
import { Transport, type TransportOptions } from './transport.js';

export interface Connection {
  transport: Transport;
  arena: Arena;
  peers: PeerMemory;
}

export function connect(opts: Pick<TransportOptions, 'onRow' | 'onError' | 'maxRows' | 'maxBytes' | 'arenaReceiveBytes' | 'pieceWaitMs'> & { arenaSegmentBytes?: number; arenaLimitBytes?: number }): Connection {
  start();
  const arena = new Arena({
    job: world.job,
    rank: world.rank,
    numaNode: world.numaNode,
    localSize: world.localSize,
    segmentBytes: opts.arenaSegmentBytes,
    limitBytes: opts.arenaLimitBytes,
  });
  const peers = new PeerMemory(world.job);
  const node = world.nodeOf;
  const transport = new Transport({ ...opts, comm: worldComm(), arena, peers, sameNode: (r) => node[r] === world.node });
  return { transport, arena, peers };
}
