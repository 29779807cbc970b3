// finalize refuses while a send is pending; after finalize nothing reinitializes.
import assert from 'node:assert/strict';
import { MpiStateError } from '../../src/errors.js';
import { init, native, world } from '../../src/mpi.js';
import { complete, record, recv } from './lib.js';

const n = native();
const first = init();
const comm = world();
// A rendezvous-sized send to self stays pending until received.
const id = comm.isend(comm.rank, 1, new Uint8Array(8 * 1024 * 1024));
const pending = n.pendingRequests();
let refused = false;
if (pending > 0) {
  assert.throws(() => n.finalize(), (e: any) => e instanceof MpiStateError && e.code === 'ERR_MPI_STATE' && /pending/.test(e.message));
  refused = true;
}
await recv(comm, comm.rank, 1);
await complete([id]);
comm.barrier();
n.finalize();
assert.deepEqual(n.state(), { initialized: true, finalized: true });
assert.throws(() => n.init(), (e: any) => e instanceof MpiStateError);
assert.throws(() => n.processorName(), (e: any) => e instanceof MpiStateError);
assert.throws(() => comm.barrier(), (e: any) => e instanceof MpiStateError);
record({ rank: comm.rank, provided: first.provided, refused, finalized: true });
