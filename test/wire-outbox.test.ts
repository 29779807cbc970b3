// Small frames are cut from a shared send slab. A full slab is cut again
// only when every frame of it went to a send that has completed: a frame
// written over earlier ones is byte for byte the frame a fresh slab gives
// (zero padding, no byte of an earlier frame), and a frame handed to any
// other caller is never written over.
import t from 'tap';
import { BatchBuilder } from '../src/wire/frame/batch.js';
import { assembleRows } from '../src/wire/frame/writer.js';
import { FrameKind, SectionKind, layout, writeHeader, type FrameHeader } from '../src/wire/frame/layout.js';

const header = (sequence: number): FrameHeader => ({ kind: FrameKind.Tasks, flags: 0, sender: 1, sequence });

// A frame whose name and body bytes are all 0xff: it leaves non-zero bytes
// wherever a later, shorter frame has padding.
function loud(b: BatchBuilder, i: number): void {
  b.add(7, 1, i, 2, 'ÿ'.repeat(1 + (i % 13)), new Uint8Array(1 + (i % 29)).fill(0xff), true);
}

// A short frame with padding after its name and its body.
function quiet(b: BatchBuilder, i: number): void {
  b.add(1, 0, i, 0, 'n', i % 3 === 0 ? [] : 'xyz'.slice(0, i % 3), true);
}

const copy = (f: Uint8Array) => Uint8Array.from(f);

t.test('a slab cut again gives the frames a fresh buffer gives', async (t) => {
  const b = new BatchBuilder();
  const sent = () => true;
  let rewound = 0;
  let last: ArrayBufferLike | null = null;
  let lastAt = -1;
  const cut = (i: number): Uint8Array => {
    const f = assembleRows(header(i), b, sent);
    b.clear();
    if (f.buffer === last && f.byteOffset < lastAt) rewound++;
    last = f.buffer;
    lastAt = f.byteOffset;
    return f;
  };
  const wrong: string[] = [];
  for (let round = 0; round < 6; round++) {
    // At least one slab of loud frames, all sent; then quiet ones over their
    // bytes, each compared with the same frame written where all was zero.
    for (let i = 0; i < 400; i++) {
      loud(b, i);
      cut(i);
    }
    for (let i = 0; i < 200; i++) {
      quiet(b, i);
      const expected = alone(b, header(i));
      if (Buffer.compare(copy(cut(i)), expected) !== 0) wrong.push(`round ${round}, frame ${i}`);
    }
  }
  t.same(wrong.slice(0, 5), [], 'every frame as written alone');
  // The comparison means something only if slabs were in fact cut again.
  t.ok(rewound > 0, `a slab was cut again (${rewound} times)`);
});

// The frame of `b`'s rows, written into a zeroed buffer of its own, as the
// general assembler lays it out (header, section table, the batch).
function alone(b: BatchBuilder, h: FrameHeader): Uint8Array {
  const { offsets, total } = layout([b.byteLength]);
  const out = new Uint8Array(total);
  writeHeader(out, h, [{ kind: SectionKind.Batch, length: b.byteLength }]);
  b.write(out, offsets[0]!);
  return out;
}

t.test('a frame handed to another caller is never written over', async (t) => {
  const b = new BatchBuilder();
  quiet(b, 1);
  const kept = assembleRows(header(0), b);
  b.clear();
  const before = copy(kept);
  for (let i = 0; i < 2000; i++) {
    loud(b, i);
    assembleRows(header(i), b, () => true);
    b.clear();
  }
  t.same(kept, before, 'the kept frame is as it was written');
});

t.test('frames whose sends are still pending are never written over', async (t) => {
  const b = new BatchBuilder();
  const pending: { frame: Uint8Array; bytes: Uint8Array }[] = [];
  for (let i = 0; i < 2000; i++) {
    loud(b, i);
    const frame = assembleRows(header(i), b, () => false);
    b.clear();
    pending.push({ frame, bytes: copy(frame) });
  }
  let changed = 0;
  for (const p of pending) if (Buffer.compare(p.frame, p.bytes) !== 0) changed++;
  t.equal(changed, 0, 'no frame changed');
});
