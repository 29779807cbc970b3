// Every rank starts hundreds of sends to every other rank at once, then
// receives whatever arrives first; all must complete with intact contents.
import assert from 'node:assert/strict';
import { init, isend, native, world } from '../../src/mpi.js';
import { complete, pattern, record, recv } from './lib.js';

init();
const comm = world();
const perPeer = Number(process.argv[2] ?? 300);
// Mixed sizes: eager and rendezvous messages interleave.
const sizeOf = (src: number, k: number) => [0, 1, 100, 5000, 70000, 300000][(src + k) % 6]!;
const seedOf = (src: number, dst: number, k: number) => src * 1_000_003 + dst * 1009 + k;

const ids: number[] = [];
for (let k = 0; k < perPeer; k++) {
  for (let dst = 0; dst < comm.size; dst++) {
    if (dst === comm.rank) continue;
    ids.push(isend(comm, dst, k, pattern(sizeOf(comm.rank, k), seedOf(comm.rank, dst, k))));
  }
}
const pendingAtStart = native().pendingRequests();
// The count JS reads without a call says the same as the call.
assert.equal(native().requestCount[0], pendingAtStart);
const expected = perPeer * (comm.size - 1);
const seen = new Set<string>();
const receiving = (async () => {
  for (let n = 0; n < expected; n++) {
    const m = await recv(comm, native().constants.ANY_SOURCE, native().constants.ANY_TAG);
    const key = `${m.source}:${m.tag}`;
    assert.ok(!seen.has(key), `message ${key} arrived twice`);
    seen.add(key);
    assert.ok(m.data.equals(pattern(sizeOf(m.source, m.tag), seedOf(m.source, comm.rank, m.tag))), `message ${key} corrupted`);
  }
})();
const order = await complete(ids);
await receiving;
assert.equal(seen.size, expected);
assert.equal(native().pendingRequests(), 0);
assert.equal(native().requestCount[0], 0);
assert.equal(native().pendingMessages(), 0);
comm.barrier();
record({ rank: comm.rank, received: seen.size, sent: ids.length, pendingAtStart, completedPending: order.length });
