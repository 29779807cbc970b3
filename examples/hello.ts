// Every rank says where it runs; rank 0 sums the ranks with an allreduce.
import { mpi } from 'taskloaf';

const { provided } = mpi.init();
const comm = mpi.world();
const local = comm.splitShared();
const host = mpi.native().processorName();
console.log(`rank ${comm.rank} of ${comm.size} on ${host} (local ${local.rank} of ${local.size}, thread level ${provided})`);
const total = comm.allreduce(new Float64Array([comm.rank]), 'sum')[0];
comm.barrier();
if (comm.rank === 0) console.log(`sum of ranks = ${total}`);
