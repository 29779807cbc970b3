// Rank 0 sends rank 1 malformed frames of every kind between valid messages;
// rank 1 reports each as a WireError naming rank 0 and goes on. Each rank
// also checks, on its own, when batches leave and that a value that cannot
// travel is refused before anything is queued.
import { setImmediate as turn } from 'node:timers/promises';
import { tableFromArrays } from 'apache-arrow';
import { connect } from '../../src/runtime/connect.js';
import { world } from '../../src/runtime/world.js';
import { isend } from '../../src/native/mpi.js';
import { BatchBuilder } from '../../src/wire/frame/batch.js';
import { assemble } from '../../src/wire/frame/writer.js';
import { encodeRef } from '../../src/wire/memory/blockref.js';
import { encodeArrow } from '../../src/wire/values/arrow.js';
import { FrameKind } from '../../src/wire/frame/layout.js';
import { RELEASE, TAG_PIECE } from '../../src/wire/transport/protocol.js';
import { DETACH_BYTES } from '../../src/wire/memory/pieces.js';
import { SerializationError } from '../../src/errors.js';
import { record } from './lib.js';

const errors: { code: string; sender: number }[] = [];
const values: unknown[] = [];
const conn = connect({
  maxRows: 64,
  pieceWaitMs: 300,
  onRow: (row) => values.push(row.value),
  onError: (e) => {
    errors.push({ code: e.code, sender: e.sender });
    // The piece that never came has been given up on: rank 0 may now send one after no frame.
    if (errors.length === 8) conn.transport.send(0, 9, 1, 0, 0, 'go', 'go');
  },
});
const t = conn.transport;
const me = world.rank;

// Batches leave when flushAll() is called, or at once when full; never on
// their own (the runtime's Outbound decides when).
const before = t.stats.framesSent;
for (let i = 0; i < 3; i++) t.send(me, 9, me, i, 0, 'tick', i);
const queuedNow = t.queued;
const sentNow = t.stats.framesSent - before;
await turn();
const sentAfterTurn = t.stats.framesSent - before;
t.flushAll();
const sentOnFlush = t.stats.framesSent - before;
for (let i = 0; i < 64; i++) t.send(me, 9, me, i, 0, 'tick', i);
const sentWhenFull = t.stats.framesSent - before;

// A value that cannot travel: refused at the sender, with its path, nothing queued.
let refused: { code?: string; path?: string; queued: number } | null = null;
const queuedBefore = t.queued;
try {
  t.send(me, 9, me, 0, 0, 'bad', [1, { model: { fn: () => 1 } }], true, 'args');
} catch (e) {
  if (e instanceof SerializationError) refused = { code: e.code, path: e.path, queued: t.queued - queuedBefore };
}
// Rows from rank 0 (the second part) may already be arriving: count only this part's.
await t.until(() => values.filter((v) => typeof v === 'number').length === 3 + 64);
record({ rank: me, flush: { queuedNow, sentNow, sentAfterTurn, sentOnFlush, sentWhenFull }, refused });

function frame(rows: (b: BatchBuilder) => void, payloads: ({ ref: Uint8Array } | { chunks: Uint8Array[]; length: number })[], sender = 0): Uint8Array {
  const b = new BatchBuilder();
  rows(b);
  return assemble({ kind: FrameKind.Tasks, flags: 0, sender, sequence: 12345 }, b, payloads).frame;
}

if (world.size >= 2) {
  if (me === 0) {
    const table = encodeArrow(tableFromArrays({ x: new Float64Array([1, 2, 3]) }));
    const stream = new Uint8Array(Buffer.concat(table.chunks));
    stream.fill(0xff, 8, 24); // corrupt the schema message
    const arrowRow = (b: BatchBuilder) => {
      b.add(1, 0, 0, 0, 'x', tableFromArrays({ x: new Float64Array([1, 2, 3]) }));
      b.payloads.length = 0;
    };
    const bad: Uint8Array[] = [
      new Uint8Array(100).fill(7), // ERR_WIRE_MAGIC
      frame((b) => b.add(1, 0, 0, 0, 'x', 1), [], 5), // ERR_WIRE_SENDER
      (() => {
        const f = frame((b) => b.add(1, 0, 0, 0, 'x', 1), []);
        f[f.length - 12] ^= 0x5a; // inside the batch: ERR_WIRE_BATCH
        f.fill(0xee, 120, 140);
        return f;
      })(),
      frame(arrowRow, [{ ref: encodeRef({ block: { owner: 99, segment: 0, offset: 0, length: 64 }, start: 0, length: 64 }) }]), // ERR_WIRE_PAYLOAD
      frame(arrowRow, [{ ref: encodeRef({ block: { owner: 0, segment: 0, offset: 2 ** 40, length: 64 }, start: 0, length: 64 }) }]), // ERR_WIRE_PAYLOAD
      frame(arrowRow, [{ chunks: [stream], length: stream.byteLength }]), // ERR_WIRE_BATCH (Arrow)
    ];
    t.send(1, 1, 0, 0, 0, 'ok', 'first');
    t.flushAll();
    for (const f of bad) isend(t.comm, 1, 1, f);
    const announce = (length: number) => frame(arrowRow, [{ chunks: [new Uint8Array(length)], length }]);
    isend(t.comm, 1, 2, announce(DETACH_BYTES)); // announces a piece...
    isend(t.comm, 1, TAG_PIECE, new Uint8Array(DETACH_BYTES - 8)); // ...that arrives short: ERR_WIRE_PAYLOAD
    isend(t.comm, 1, 2, announce(DETACH_BYTES * 2)); // a piece that never comes: ERR_WIRE_PAYLOAD
    t.flushAll();
    await t.until(() => values.includes('go'));
    isend(t.comm, 1, TAG_PIECE, new Uint8Array(100)); // a piece after no frame: ERR_WIRE_PIECES
    t.send(1, RELEASE, 1, 0, 123456, ''); // a block never lent: ERR_WIRE_RELEASE
    t.send(1, 1, 0, 1, 0, 'ok', 'last');
    await t.drain();
  } else if (me === 1) {
    await t.until(() => values.includes('last'));
    record({ rank: me, errors, valid: values.filter((v) => typeof v === 'string') });
  }
}
for (let r = 0; r < world.size; r++) t.send(r, 9, me, -1, 0, 'done', 'done');
await t.until(() => values.filter((v) => v === 'done').length === world.size);
await t.end();
