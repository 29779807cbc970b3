// Rank program for the wire-frame benchmark (one rank): a small frame through
// the transport — a one-row call of 'noop' queued, sent to this rank itself,
// received and opened — against raw MPI moving bytes of the same size
// (isend, improbe, mrecv into a buffer), alternating in one process.
// Prints one JSON line: per-message µs of each, every round.
// Usage: taskloaf run -n 1 bench/wire/frame-rank.ts <messages> <rounds>
import { addon } from '../../src/native/addon.js';
import { isend } from '../../src/native/mpi.js';
import { BatchBuilder } from '../../src/wire/frame/batch.js';
import { connect } from '../../src/runtime/connect.js';
import { FrameKind } from '../../src/wire/frame/layout.js';
import { assemble } from '../../src/wire/frame/writer.js';

const [n = 100_000, rounds = 5] = process.argv.slice(2).map(Number);
let rows = 0;
const { transport: t } = connect({ onRow: () => rows++ });
const native = addon();
const comm = t.comm.dup();
const { ANY_SOURCE, ANY_TAG } = native.constants;

function transport(): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const before = rows;
    t.send(0, 1, 0, i, 0, 'noop', [], true, 'args');
    t.flushAll();
    while (rows === before) t.poll(1);
  }
  return ((performance.now() - t0) * 1000) / n;
}

// As many bytes as the transport's frame: what MPI alone costs for them.
const b = new BatchBuilder();
b.add(1, 0, 0, 0, 'noop', [], true, 'args');
const bytes = assemble({ kind: FrameKind.Tasks, flags: 0, sender: 0, sequence: 0 }, b, []).frame.byteLength;
const out = new Uint8Array(bytes);
const into = new Uint8Array(bytes);
const done = new Uint32Array(64);
function raw(): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    isend(comm, 0, 1, out);
    let id = 0;
    while ((id = comm.improbe(ANY_SOURCE, ANY_TAG)) === 0);
    native.mrecv(id, into);
    if (native.requestCount[0]! > 0) native.testsome(done);
  }
  return ((performance.now() - t0) * 1000) / n;
}

// Warm-up: compile both paths first.
transport();
raw();
const result: { transport: number[]; raw: number[] } = { transport: [], raw: [] };
for (let r = 0; r < rounds; r++) {
  result.transport.push(transport());
  result.raw.push(raw());
}
while (native.pendingRequests() > 0) native.testsome(done);
comm.free();
console.log(JSON.stringify({ ...result, frameBytes: bytes }));
process.exit(0);
