// Each rank reports what MPI says about it.
import { init, native, world } from '../../src/mpi.js';
import { record } from './lib.js';

const { provided } = init();
const comm = world();
const local = comm.splitShared();
record({ rank: comm.rank, size: comm.size, localRank: local.rank, localSize: local.size, host: native().processorName(), provided });
local.free();
