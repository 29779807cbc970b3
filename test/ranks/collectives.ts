// Collectives the tests and runtime rely on, checked against closed forms.
import assert from 'node:assert/strict';
import { init, native, world } from '../../src/mpi.js';
import { complete, record } from './lib.js';

init();
const comm = world();
const { rank, size } = comm;
const sumRanks = (size * (size - 1)) / 2;

// allreduce: several element types and operations, in place.
assert.deepEqual([...comm.allreduce(new Float64Array([rank, 1.5]), 'sum')], [sumRanks, 1.5 * size]);
assert.deepEqual([...comm.allreduce(new Int32Array([rank, -rank]), 'max')], [size - 1, 0]);
assert.deepEqual([...comm.allreduce(new Int32Array([rank + 10]), 'min')], [10]);
assert.deepEqual([...comm.allreduce(new BigInt64Array([BigInt(rank) << 40n]), 'sum')], [BigInt(sumRanks) << 40n]);
assert.deepEqual([...comm.allreduce(new Uint32Array([1 << rank % 31]), 'bor')], [[...Array(size).keys()].reduce((a, r) => a | (1 << r % 31), 0) >>> 0]);
assert.deepEqual([...comm.allreduce(new Float32Array([2]), 'prod')], [2 ** size]);
assert.deepEqual([...comm.allreduce(new Uint8Array([rank === 0 ? 1 : 0]), 'lor')], [1]);

// bcast from every root, into a view with an offset.
for (let root = 0; root < size; root++) {
  const backing = new Uint8Array(64);
  const view = backing.subarray(8, 40);
  if (rank === root) view.fill(root + 1);
  comm.bcast(view, root);
  assert.ok(view.every((b) => b === root + 1), `bcast from ${root}`);
  assert.ok(backing.subarray(0, 8).every((b) => b === 0) && backing.subarray(40).every((b) => b === 0), 'bcast stays inside the view');
}

// allgather: everyone's block in rank order.
const mine = new Int32Array([rank, rank * rank]);
const all = comm.allgather(mine, new Int32Array(2 * size));
assert.deepEqual([...all], [...Array(size).keys()].flatMap((r) => [r, r * r]));

// ibarrier completes through testsome.
await complete([comm.ibarrier()]);
assert.equal(native().pendingRequests(), 0);

// The node-local communicator: ranks of one node, numbered from 0.
const local = comm.splitShared();
const localRanks = comm.allgather(new Int32Array([local.rank]), new Int32Array(size));
assert.equal(new Set(localRanks).size, local.size);
local.free();
record({ rank, ok: true, wtick: native().wtick() > 0 });
