// Pairs (0,1), (2,3)... ping-pong each size with its contents checked.
import assert from 'node:assert/strict';
import { init, isend, world } from '../../src/mpi.js';
import { complete, pattern, record, recv } from './lib.js';

init();
const comm = world();
const sizes = [0, 8, 64 * 1024, 1024 * 1024, 64 * 1024 * 1024];
const peer = comm.rank ^ 1;
if (peer < comm.size) {
  for (const [i, size] of sizes.entries()) {
    const ping = pattern(size, i);
    const pong = pattern(size, i + 100);
    if (comm.rank % 2 === 0) {
      await complete([isend(comm, peer, i, ping)]);
      const back = await recv(comm, peer, i);
      assert.equal(back.data.length, size, `pong of ${size} bytes has the wrong length`);
      assert.ok(back.data.equals(pong), `pong of ${size} bytes has the wrong contents`);
    } else {
      const got = await recv(comm, peer, i);
      assert.equal(got.source, peer);
      assert.equal(got.tag, i);
      assert.ok(got.data.equals(ping), `ping of ${size} bytes has the wrong contents`);
      await complete([isend(comm, peer, i, pong)]);
    }
  }
  record({ rank: comm.rank, peer, sizes });
} else {
  record({ rank: comm.rank, peer: null, sizes: [] });
}
comm.barrier();
