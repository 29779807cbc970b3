// Rank 0 starts large sends whose buffers user code then drops (and the GC
// runs) or tries to transfer away; rank 1 receives late. Contents must arrive
// intact and nothing may crash.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { init, isend, native, world } from '../../src/mpi.js';
import { complete, pattern, record, recv } from './lib.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
init();
const comm = world();
const SIZE = 16 * 1024 * 1024;
if (comm.size >= 2 && comm.rank < 2) {
  if (comm.rank === 0) {
    // 1. Dropped by user code: only the addon's reference keeps it alive.
    let dropped: Uint8Array | null = pattern(SIZE, 1);
    const a = isend(comm, 1, 1, dropped);
    dropped = null;
    // 2. Transferred away: a pending send's buffer is copied, not detached.
    const kept = pattern(SIZE, 2);
    const b = isend(comm, 1, 2, kept);
    const moved = structuredClone(kept.buffer, { transfer: [kept.buffer] });
    const stillAttached = kept.buffer.byteLength > 0;
    // 3. Garbage everywhere while the sends wait for the receiver.
    for (let i = 0; i < 20; i++) {
      void new Uint8Array(SIZE);
      gc();
      await sleep(5);
    }
    const order = await complete([a, b]);
    record({ rank: 0, pendingWhileSleeping: [a, b].filter((x) => x !== 0).length, completed: order.length, stillAttached, movedBytes: moved.byteLength });
  } else {
    await sleep(300); // receive late, so the sends are still pending meanwhile
    const first = await recv(comm, 0, 1);
    const second = await recv(comm, 0, 2);
    assert.ok(first.data.equals(pattern(SIZE, 1)), 'dropped buffer arrived corrupted');
    assert.ok(second.data.equals(pattern(SIZE, 2)), 'transferred buffer arrived corrupted');
    record({ rank: 1, intact: true });
  }
}
assert.equal(native().pendingRequests(), 0);
comm.barrier();
