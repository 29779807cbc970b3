// Rank 0 writes a 256 MiB Float64 block in its arena; rank 1 views it in place,
// checks every value, and shows the view is the owner's memory, not a copy.
import assert from 'node:assert/strict';
import { Arena, type BlockName } from '../../src/arena/arena.js';
import { PeerMemory } from '../../src/arena/peers.js';
import { isend, native } from '../../src/mpi.js';
import { world as comm } from '../../src/native/mpi.js';
import { start } from '../../src/runtime/world.js';
import { complete, record, recv } from './lib.js';

const w = start();
const c = comm();
const MiB = 2 ** 20;
const bytes = Number(process.argv[2] ?? 256) * MiB;
const n = native();
const send = (to: number, tag: number, value: unknown) => complete([isend(c, to, tag, Buffer.from(JSON.stringify(value)))]);
const receive = async (from: number, tag: number) => JSON.parse((await recv(c, from, tag)).data.toString());

if (w.rank === 0) {
  const arena = new Arena({ job: w.job, run: w.run, rank: 0, numaNode: w.numaNode });
  const block = arena.alloc(bytes);
  const values = new Float64Array(block.bytes.buffer, block.bytes.byteOffset, bytes / 8);
  for (let i = 0; i < values.length; i++) values[i] = i * 0.5;
  const pages = n.pageNodes(block.bytes);
  const onNode = pages.every((p) => p === w.numaNode);
  await send(1, 1, arena.lend(block));
  await receive(1, 2); // rank 1 has checked the contents
  values[12345] = -1; // written after rank 1 opened its view
  arena.free(block); // deferred: rank 1 still holds a view
  const whileLent = arena.stats();
  await send(1, 3, 'written');
  const back = (await receive(1, 4)) as BlockName; // rank 1's release message
  arena.returned(back);
  const after = arena.stats();
  record({ rank: 0, pages: pages.length, onNode, numaNode: w.numaNode, deferredWhileLent: whileLent.deferredFrees, liveWhileLent: whileLent.live, liveAfter: after.live, loansAfter: after.loans });
  arena.close();
} else if (w.rank === 1) {
  const name = (await receive(0, 1)) as BlockName;
  const peer = new PeerMemory(w.job, w.run);
  const view = peer.view(name);
  const values = new Float64Array(view.buffer, view.byteOffset, view.byteLength / 8);
  let bad = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== i * 0.5) bad++;
    sum += values[i]!;
  }
  const segment = new Uint8Array(peer.segment(name.owner, name.segment));
  const inPlace = n.addressOf(view) - n.addressOf(segment) === BigInt(name.offset);
  await send(0, 2, 'checked');
  await receive(0, 3);
  const seesOwnerWrite = values[12345] === -1;
  await send(0, 4, name);
  assert.equal(bad, 0);
  record({ rank: 1, values: values.length, bad, sum, inPlace, seesOwnerWrite, viewBytes: view.byteLength });
}
c.barrier();
