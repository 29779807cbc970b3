// Reports the CPUs this rank may run on.
import { allowedCpus } from '../../src/launch/affinity.js';
import { init, world } from '../../src/mpi.js';
import { record } from './lib.js';
init();
record({ rank: world().rank, cpus: allowedCpus(), args: process.argv.slice(2) });
