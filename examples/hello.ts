// Every rank says where it runs; rank 0 sums the ranks with an allreduce.
import { mpi, start } from 'taskloaf';

const world = start(); // MPI up, this rank pinned to its core
const comm = mpi.world();
console.log(
  `rank ${world.rank} of ${world.size} on ${world.host} ` +
    `(local ${world.localRank} of ${world.localSize}, core ${world.core}, NUMA node ${world.numaNode})`,
);
const total = comm.allreduce(new Float64Array([world.rank]), 'sum')[0];
comm.barrier();
if (world.rank === 0) console.log(`sum of ranks = ${total}`);
