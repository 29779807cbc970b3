// Whole frames into openFrame: valid ones (a batch, inline payloads, block
// references, pieces) open to their rows; random and mutated ones give a
// WireError naming the sender and nothing else.
import t from 'tap';
import { tableFromArrays } from 'apache-arrow';
import { WireError } from '../src/errors.js';
import { BatchBuilder } from '../src/wire/frame/batch.js';
import { assemble, type Placement } from '../src/wire/frame/writer.js';
import { openFrameAt } from '../src/wire/frame/reader.js';
import { openFrame } from './helpers/frames.js';
import { encodeRef, type BlockRef } from '../src/wire/memory/blockref.js';
import { readPieces, DETACH_BYTES } from '../src/wire/memory/pieces.js';
import { payloadBytes } from './helpers/values.js';
import { FrameKind } from '../src/wire/frame/layout.js';
import { rng } from './helpers/random.js';

const SENDER = 3;
// A receiver's view of the world: references resolve into one fake block; pieces are zeros.
const block = new Uint8Array(1 << 16);
const resolve = (ref: BlockRef) => {
  if (ref.block.owner !== 1 || ref.block.offset + ref.block.length > block.byteLength) throw new RangeError('no such block');
  return block.subarray(ref.block.offset + ref.start, ref.block.offset + ref.start + ref.length);
};
const receivePieces = (section: Uint8Array) => {
  const { total } = readPieces(section, 1 << 20);
  return new Uint8Array(total);
};

function frames(): Uint8Array[] {
  const out: Uint8Array[] = [];
  const b = new BatchBuilder();
  b.add(1, 0, 1, 0, 'plain', { a: [1, 'x', null] });
  out.push(assemble({ kind: FrameKind.Tasks, flags: 0, sender: SENDER, sequence: 0 }, b, []).frame);
  b.clear();
  b.add(1, 0, 2, 0, 'with payloads', [new Float64Array(512), tableFromArrays({ x: new Int32Array([1, 2, 3]) })]);
  const inline: Placement[] = payloadBytes(b.payloads).map((p) => ({ chunks: [p], length: p.byteLength }));
  out.push(assemble({ kind: FrameKind.Tasks, flags: 0, sender: SENDER, sequence: 1 }, b, inline).frame);
  const refs: Placement[] = payloadBytes(b.payloads).map((p, i) => {
    block.set(p, i * 8192);
    return { ref: encodeRef({ block: { owner: 1, segment: 0, offset: i * 8192, length: 8192 }, start: 0, length: p.byteLength }) };
  });
  out.push(assemble({ kind: FrameKind.Tasks, flags: 0, sender: SENDER, sequence: 2 }, b, refs).frame);
  b.clear();
  b.add(1, 0, 3, 0, 'pieces', new Uint8Array(DETACH_BYTES + 8));
  out.push(assemble({ kind: FrameKind.Tasks, flags: 0, sender: SENDER, sequence: 3 }, b, [{ chunks: [new Uint8Array(DETACH_BYTES + 8)], length: DETACH_BYTES + 8 }]).frame);
  return out;
}

t.test('valid frames open to their rows', async (t) => {
  const [plain, inline, refs, pieces] = frames();
  t.same(openFrame(plain!, SENDER, resolve, receivePieces).rows[0]!.value, { a: [1, 'x', null] });
  for (const f of [inline!, refs!]) {
    const [ta, table] = openFrame(f, SENDER, resolve, receivePieces).rows[0]!.value as [Float64Array, { numRows: number }];
    t.equal(ta.length, 512);
    t.equal(table.numRows, 3);
  }
  t.equal((openFrame(pieces!, SENDER, resolve, receivePieces).rows[0]!.value as Uint8Array).byteLength, DETACH_BYTES + 8);
});

t.test(`fuzz: ${process.env.TASKLOAF_FUZZ ?? 100_000} random and mutated frames give rows or a WireError naming the sender`, async (t) => {
  const rand = rng(23);
  const n = Number(process.env.TASKLOAF_FUZZ ?? 100_000);
  const seeds = frames();
  let rejected = 0;
  for (let i = 0; i < n; i++) {
    let bytes: Uint8Array;
    if (i % 10 === 0) {
      bytes = new Uint8Array(8 * Math.floor(rand() * 64));
      for (let k = 0; k < bytes.length; k++) bytes[k] = Math.floor(rand() * 256);
    } else {
      bytes = new Uint8Array(seeds[i % seeds.length]!);
      const flips = 1 + Math.floor(rand() * 4);
      for (let k = 0; k < flips; k++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
    }
    try {
      openFrame(bytes, SENDER, resolve, receivePieces);
    } catch (e) {
      if (!(e instanceof WireError) || e.sender !== SENDER) {
        t.fail(`input ${i}: ${(e as Error).stack}`);
        break;
      }
      rejected++;
    }
  }
  t.ok(rejected > n / 4, `${rejected} of ${n} rejected`);
});

// What opening a frame gave, comparable across the two entry points.
function outcome(open: () => { sequence: number; rows: unknown[] }): unknown {
  try {
    const { sequence, rows } = open();
    return { sequence, rows };
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
    return { code: e.code, sender: e.sender };
  }
}

t.test('a frame opened where it lies in a larger buffer (as in a receive slab) gives what it gives alone', async (t) => {
  const rand = rng(29);
  const seeds = frames();
  const n = Number(process.env.TASKLOAF_FUZZ ?? 100_000) / 10;
  let same = 0;
  for (let i = 0; i < n; i++) {
    const frame = new Uint8Array(seeds[i % seeds.length]!);
    if (i % 2 === 1) {
      const flips = 1 + Math.floor(rand() * 4);
      for (let k = 0; k < flips; k++) frame[Math.floor(rand() * frame.length)] = Math.floor(rand() * 256);
    }
    // Random bytes before and after: nothing outside the frame may be read.
    const start = 8 * Math.floor(rand() * 16);
    const slab = new Uint8Array(start + frame.length + 8 * Math.floor(rand() * 16));
    for (let k = 0; k < slab.length; k++) slab[k] = Math.floor(rand() * 256);
    slab.set(frame, start);
    const alone = outcome(() => openFrame(frame, SENDER, resolve, receivePieces));
    const inSlab = outcome(() => openFrameAt(slab, new DataView(slab.buffer), start, frame.length, SENDER, resolve, receivePieces));
    if (JSON.stringify(alone, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v)) !== JSON.stringify(inSlab, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v))) {
      t.fail(`input ${i} at ${start}: alone ${JSON.stringify(alone).slice(0, 200)}, in the slab ${JSON.stringify(inSlab).slice(0, 200)}`);
      break;
    }
    same++;
  }
  t.equal(same, n, 'every frame gave the same rows or the same error');
  const plain = seeds[0]!;
  const slab = new Uint8Array(plain.length + 16);
  slab.set(plain, 8);
  const v = new DataView(slab.buffer);
  t.same((openFrameAt(slab, v, 8, plain.length, SENDER, resolve, receivePieces).rows[0]!.value), { a: [1, 'x', null] }, 'at an 8-aligned place it opens');
  slab.copyWithin(4, 8, 8 + plain.length);
  t.throws(() => openFrameAt(slab, v, 4, plain.length, SENDER, resolve, receivePieces), { code: 'ERR_WIRE_ALIGNMENT' }, 'at a place not 8-aligned it is refused');
  t.throws(() => openFrameAt(slab, v, 8, slab.length, SENDER, resolve, receivePieces), { code: 'ERR_WIRE_BOUNDS' }, 'a length past the buffer is refused');
});
