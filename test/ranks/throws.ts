// The last rank throws; the others wait for a message that never comes.
// Abort-on-error must end the whole job instead of letting them hang.
import { init, world } from '../../src/mpi.js';
import { recv } from './lib.js';

init();
const comm = world();
const culprit = comm.size - 1;
if (comm.rank === culprit) {
  setTimeout(() => {
    throw new Error(`deliberate failure on rank ${comm.rank}`);
  }, 100);
} else {
  await recv(comm, culprit, 99);
}
