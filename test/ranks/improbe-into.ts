// Small messages received by the probe itself, into the receive slab: each
// rank sends a row of messages to the next rank (itself at 1 rank) and checks
// what the one before sent, byte by byte, and where each landed.
import { init, native, world } from '../../src/mpi.js';
import { complete, pattern, record } from './lib.js';

init();
const comm = world().dup();
const n = native();
const next = (comm.rank + 1) % comm.size;
const prev = (comm.rank + comm.size - 1) % comm.size;
const TAG = 9;
const OTHER = 4;
// [tag, bytes]: in order, from one sender, so they match in order.
const sent: [number, number][] = [[TAG, 8], [TAG, 24], [TAG, 13], [TAG, 100], [TAG, 200], [OTHER, 16], [TAG, 120], [TAG, 8], [TAG, 8], [TAG, 0]];
const ids = sent.map(([tag, bytes], i) => comm.isend(next, tag, pattern(bytes, 100 * comm.rank + i)));

let k = 0;
const checks: string[] = [];
function fail(what: string): never {
  throw new Error(`rank ${comm.rank}, message ${k}: ${what}`);
}
// The next message: [result of improbeInto, its bytes]; checks status and content.
function next1(): [number, Uint8Array, number] {
  let id = 0;
  while ((id = comm.improbeInto()) === 0);
  const [source, tag, bytes, at] = n.probeStatus as unknown as number[];
  const [wantTag, wantBytes] = sent[k]!;
  if (source !== prev || tag !== wantTag || bytes !== wantBytes) fail(`status [${source}, ${tag}, ${bytes}], expected [${prev}, ${wantTag}, ${wantBytes}]`);
  const data = id < 0 ? slab.subarray(at!, at! + bytes!) : n.mrecv(id);
  const want = pattern(wantBytes, 100 * prev + k);
  if (Buffer.compare(Buffer.from(data.buffer, data.byteOffset, data.byteLength), want) !== 0) fail('bytes differ');
  k++;
  return [id, data, at!];
}
function expect(cond: boolean, what: string) {
  if (!cond) fail(what);
  checks.push(what);
}

let slab: Uint8Array = new Uint8Array(0);
let r = next1();
expect(r[0] > 0, 'before a slab is given, every message is left matched');
slab = Buffer.allocUnsafeSlow(256);
n.receiveSlab(slab, TAG, 128);
r = next1();
expect(r[0] === -1 && r[2] === 0, 'the first small message lands at the start of the slab');
const first = r[1];
r = next1();
expect(r[0] === -1 && r[2] === 24, 'the next one right after it');
r = next1();
expect(r[0] === -1 && r[2] === 40, 'the next one 8-aligned (24 + 13 rounded up)');
r = next1();
expect(r[0] > 0, 'one above the limit is left matched for mrecv');
r = next1();
expect(r[0] > 0, 'one of another tag is left matched');
r = next1();
expect(r[0] > 0, 'one that does not fit in what is left is left matched');
const old = slab;
slab = Buffer.allocUnsafeSlow(64);
n.receiveSlab(slab, TAG, 128);
r = next1();
expect(r[0] === -1 && r[2] === 0 && r[1].buffer === slab.buffer, 'a new slab is used from its start');
expect(Buffer.compare(Buffer.from(first), pattern(24, 100 * prev + 1)) === 0 && first.buffer === old.buffer, 'the old slab keeps its frames');
n.detach(slab.buffer as ArrayBuffer);
r = next1();
expect(r[0] > 0, 'a detached slab takes nothing (and nothing crashes)');
slab = Buffer.allocUnsafeSlow(64);
n.receiveSlab(slab, TAG, 128);
r = next1();
expect(r[0] === -1 && r[1].byteLength === 0, 'an empty message is received inline too');
await complete(ids);
comm.barrier();
comm.free();
record({ rank: comm.rank, checks: checks.length });
