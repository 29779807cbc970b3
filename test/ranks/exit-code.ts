// Exits with the code given, on rank 0 only, after MPI is up.
import { init, world } from '../../src/mpi.js';
init();
const comm = world();
comm.barrier();
if (comm.rank === 0) process.exitCode = Number(process.argv[2] ?? 0);
