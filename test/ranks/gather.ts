// Rank 0 sends messages gathered from several buffers (small, large, empty,
// from Buffer's pool, views at odd offsets); rank 1 receives each as one
// contiguous message equal to the concatenation.
import assert from 'node:assert/strict';
import { init, isendv, world } from '../../src/mpi.js';
import { complete, pattern, record, recv } from './lib.js';

init();
const comm = world();
const messages: Uint8Array[][] = [
  [pattern(32, 1)],
  [Buffer.from('header'), new Uint8Array(0), pattern(100, 2).subarray(3, 97), Buffer.from('tail')],
  [pattern(64, 3), new Uint8Array(new Float64Array(1 << 20).fill(1.5).buffer, 8, 8 * 1000), pattern(5 * 1024 * 1024, 4)],
  Array.from({ length: 300 }, (_, i) => pattern(i % 17, i)),
];
if (comm.rank === 0 && comm.size > 1) {
  const ids = messages.map((parts, i) => isendv(comm, 1, i, parts));
  await complete(ids);
  record({ rank: 0, sent: messages.length, pendingAtStart: ids.filter((x) => x !== 0).length });
} else if (comm.rank === 1) {
  for (const [i, parts] of messages.entries()) {
    const got = await recv(comm, 0, i);
    assert.ok(got.data.equals(Buffer.concat(parts)), `message ${i} differs from the concatenation of its parts`);
  }
  record({ rank: 1, received: messages.length });
}
comm.barrier();
