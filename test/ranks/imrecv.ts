// Matched receives that complete later: imrecv() starts one, wait() finishes
// it; pairs of ranks exchange 8 MiB both ways (and a small message), checked byte by byte.
import { init, native, world } from '../../src/mpi.js';
import { pattern, record } from './lib.js';

init();
const comm = world();
const n = native();
const peer = comm.rank ^ 1;
let checked = 0;
if (peer < comm.size) {
  for (const bytes of [8 << 20, 24]) {
    const out = pattern(bytes, comm.rank);
    const sent = comm.isend(peer, 5, out);
    let id = 0;
    while ((id = comm.improbe(peer, 5)) === 0);
    const into = new Uint8Array(bytes + 8);
    const req = n.imrecv(id, into);
    if (req <= 0) throw new Error(`imrecv returned ${req}`);
    n.wait(req);
    if (sent !== 0) n.wait(sent);
    const want = pattern(bytes, peer);
    for (let i = 0; i < bytes; i++) if (into[i] !== want[i]) throw new Error(`byte ${i} of ${bytes}: ${into[i]} != ${want[i]}`);
    checked++;
  }
  // A request testsome() reported complete is waited for at once, and only once.
  const small = comm.isend(peer, 6, new Uint8Array(8));
  let id = 0;
  while ((id = comm.improbe(peer, 6)) === 0);
  const req = n.imrecv(id, new Uint8Array(8));
  const done = new Uint32Array(8);
  const seen = new Set<number>();
  while (n.pendingRequests() > 0) for (let k = 0, m = n.testsome(done); k < m; k++) seen.add(done[k]!);
  if (!seen.has(req)) throw new Error('testsome did not report the receive');
  void small;
  let refused = '';
  try {
    n.wait(req);
  } catch (e) {
    refused = (e as { code?: string }).code ?? '';
  }
  if (refused !== 'ERR_INVALID_ARG_VALUE') throw new Error(`wait on a reported request: ${refused || 'no error'}`);
  checked++;
}
comm.barrier();
record({ rank: comm.rank, checked, paired: peer < comm.size });
