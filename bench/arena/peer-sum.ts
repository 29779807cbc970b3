// Summing a 256 MiB Float64 column: the owner in place, a peer of the same
// node in place (through the shared segment), and a peer that copies first.
// Run with 2 ranks; rank 1 prints one JSON line.
import { Arena, type BlockName } from '../../src/arena/arena.js';
import { PeerMemory } from '../../src/arena/peers.js';
import { native } from '../../src/mpi.js';
import { world as comm } from '../../src/native/mpi.js';
import { start } from '../../src/runtime/world.js';

const MiB = 2 ** 20;
const bytes = Number(process.argv[2] ?? 256) * MiB;
const reps = Number(process.argv[3] ?? 3);
const w = start();
const c = comm();

function sum(a: Float64Array): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const n = a.length - (a.length % 4);
  for (let i = 0; i < n; i += 4) {
    s0 += a[i]!;
    s1 += a[i + 1]!;
    s2 += a[i + 2]!;
    s3 += a[i + 3]!;
  }
  for (let i = n; i < a.length; i++) s0 += a[i]!;
  return s0 + s1 + s2 + s3;
}

function best(fn: () => number): { seconds: number; value: number } {
  let seconds = Infinity;
  let value = 0;
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    value = fn();
    seconds = Math.min(seconds, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return { seconds, value };
}

const name = new Float64Array(4);
let arena: Arena | undefined;
let ownerSeconds = 0;
if (w.rank === 0) {
  arena = new Arena({ job: w.job, run: w.run, rank: 0, numaNode: w.numaNode, segmentBytes: bytes });
  const block = arena.alloc(bytes);
  const col = new Float64Array(block.bytes.buffer, block.bytes.byteOffset, bytes / 8);
  for (let i = 0; i < col.length; i++) col[i] = i % 1000;
  ownerSeconds = best(() => sum(col)).seconds;
  arena.lend(block);
  name.set([block.segment, block.offset, block.length, ownerSeconds]);
}
c.bcast(name, 0);
if (w.rank === 1) {
  const block: BlockName = { owner: 0, segment: name[0]!, offset: name[1]!, length: name[2]! };
  const view = new PeerMemory(w.job, w.run).view(block);
  const col = new Float64Array(view.buffer, view.byteOffset, view.byteLength / 8);
  const inPlace = best(() => sum(col));
  const copied = best(() => sum(new Float64Array(col)));
  const copyOnly = best(() => new Float64Array(col).length);
  const gbs = (s: number) => bytes / s / 1e9;
  console.log(
    JSON.stringify({
      bytes,
      ownerInPlaceGBs: gbs(name[3]!),
      peerInPlaceGBs: gbs(inPlace.seconds),
      peerCopyThenSumGBs: gbs(copied.seconds),
      copyGBs: gbs(copyOnly.seconds),
      agree: inPlace.value === copied.value,
      bytesCopiedInPlace: 0,
      viewAddressMatches: native().addressOf(view) - native().addressOf(new Uint8Array(view.buffer)) === BigInt(block.offset),
    }),
  );
}
c.barrier();
arena?.close();
