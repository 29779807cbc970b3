// Rank program: moves an Arrow table (one Float64 column) from rank 0 to
// rank 1 and waits for rank 1's acknowledgement, three ways in one run:
//   taskloaf   through the transport (same node: a block reference; other
//              node: the column sent from where it lies into rank 1's arena)
//   naive      tableToIPC (a copy), one MPI message, tableFromIPC
//   raw MPI    the column's bytes as one MPI message into a ready buffer
//              (alternating with the taskloaf moves),
//              and into a freshly allocated one
// Prints one JSON line per (size, method) with the median round trip.
// Usage: taskloaf run -n 2 [--simulate-nodes 2 --tcp] bench/wire/move.ts <MiB,...> <reps>
import { Table, tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { connect } from '../../src/runtime/connect.js';
import { release } from '../../src/wire/memory/release.js';
import { world } from '../../src/runtime/world.js';
import { addon } from '../../src/native/addon.js';
import { world as worldComm } from '../../src/native/mpi.js';

const sizes = (process.argv[2] ?? '1,64').split(',').map(Number);
const reps = Number(process.argv[3] ?? 5);
const MOVE = 1;
const ACK = 2;
let acks = 0;
let moves = 0;
let checksum = 0;
let releaseAfterRead = false;
const conn = connect({
  onError: (e) => console.error(e),
  onRow: (row, source) => {
    if (row.kind === MOVE) {
      const t = row.value as Table;
      const x = t.getChild('x')!;
      checksum += x.get(0)! + x.get(t.numRows - 1)!;
      if (releaseAfterRead) release(t);
      moves++;
      conn.transport.send(source, ACK, 0, row.id, 0, '');
    } else if (row.kind === ACK) acks++;
  },
});
const t = conn.transport;
const comm = worldComm().dup();
const native = addon();
const gc = (globalThis as { gc?: () => void }).gc;
// Collect garbage and let finalizers run (freed blocks return to the arena) before timing.
async function settle(): Promise<void> {
  gc?.();
  await new Promise((r) => setTimeout(r, 5));
  t.poll();
  t.flushAll();
  await new Promise((r) => setTimeout(r, 5));
  t.poll();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const now = () => Number(process.hrtime.bigint()) / 1e3; // µs

// Raw MPI: spin on improbe, as the fastest receiver would.
function rawRecv(source: number, tag: number, into?: Uint8Array): Uint8Array {
  for (;;) {
    const id = comm.improbe(source, tag);
    if (id !== 0) return native.mrecv(id, into);
  }
}
const sendWait = (dest: number, tag: number, data: Uint8Array) => {
  const id = comm.isend(dest, tag, data);
  const done = new Uint32Array(16);
  while (id !== 0 && native.pendingRequests() > 0) native.testsome(done);
};

const table = (mib: number) => tableFromArrays({ x: new Float64Array((mib * 2 ** 20) / 8).map((_, i) => i) });
const near = world.nodeOf[0] === world.nodeOf[1];

// Rank 0 sends `value` and waits for the acknowledgement; rank 1 serves one move. Returns µs (rank 0).
async function move(value: Table | null): Promise<number> {
  if (world.rank === 0) {
    const want = acks + 1;
    const t0 = now();
    t.send(1, MOVE, 0, want, 0, 'm', value!);
    t.flushAll();
    await t.until(() => acks === want, 60_000, true);
    return now() - t0;
  }
  const want = moves + 1;
  await t.until(() => moves === want, 60_000, true);
  t.flushAll(); // the acknowledgement leaves before anything blocks
  return 0;
}

// Warm up the code paths (not reported).
{
  const warm = world.rank === 0 ? table(1) : null;
  for (let r = 0; r < 50; r++) await move(warm);
}

for (const mib of sizes) {
  const bytes = mib * 2 ** 20;
  const times: Record<string, number[]> = { taskloaf: [], 'taskloaf first send': [], naive: [], 'raw MPI': [], 'raw MPI, fresh buffer': [] };
  const copied: Record<string, number> = {};
  const src = world.rank === 0 ? table(mib) : null;
  const column = src ? (src.getChild('x')!.data[0]!.values as Float64Array) : null;
  const landing = world.rank === 1 ? new Uint8Array(bytes) : undefined;

  // Raw MPI of the column's bytes into a ready buffer, and the acknowledgement.
  const rawMove = (): number => {
    if (world.rank === 0) {
      const t0 = now();
      sendWait(1, 9, new Uint8Array(column!.buffer, column!.byteOffset, column!.byteLength));
      rawRecv(1, 10);
      return now() - t0;
    }
    rawRecv(0, 9, landing);
    sendWait(0, 10, new Uint8Array(8));
    return 0;
  };

  // The same table again and again, each move followed by a raw MPI move of
  // the same bytes, so both see the same moment of this shared machine. On
  // one node the table is copied into the arena by the first send (not
  // timed), then only its reference travels. Across nodes the untimed moves
  // let the receiving arena reach its steady size: received payloads wait
  // for a garbage collection in batches (see Transport), and the arena grows
  // to its steady size, its pages touched once, before they are reused.
  await settle();
  comm.barrier();
  for (let r = 0; r < (near ? 1 : Math.ceil((2048 * 2 ** 20) / bytes)); r++) {
    await move(src);
    rawMove();
  }
  let before = t.stats.bytesCopied;
  for (let r = 0; r < 4 * reps; r++) {
    times.taskloaf!.push(await move(src));
    times['raw MPI']!.push(rawMove());
  }
  copied.taskloaf = (t.stats.bytesCopied - before) / (4 * reps);
  copied['raw MPI'] = 0;

  // Across nodes, again with the receiver releasing each table once read
  // (release(): its block goes back to the arena at once, no collection).
  if (!near) {
    releaseAfterRead = true;
    times['taskloaf, released'] = [];
    before = t.stats.bytesCopied;
    for (let r = 0; r < 4 * reps; r++) {
      times['taskloaf, released']!.push(await move(src));
      times['raw MPI']!.push(rawMove());
    }
    copied['taskloaf, released'] = (t.stats.bytesCopied - before) / (4 * reps);
    releaseAfterRead = false;
  }

  // A fresh heap table each time (copied into the arena once on one node).
  before = t.stats.bytesCopied;
  for (let r = 0; r < reps; r++) {
    const fresh = world.rank === 0 ? table(mib) : null;
    await settle();
    comm.barrier();
    times['taskloaf first send']!.push(await move(fresh));
  }
  copied['taskloaf first send'] = (t.stats.bytesCopied - before) / reps;

  for (let r = 0; r < reps; r++) {
    await settle();
    comm.barrier();
    if (world.rank === 0) {
      const t0 = now();
      const ipc = tableToIPC(src!);
      sendWait(1, 7, ipc);
      rawRecv(1, 8);
      times.naive!.push(now() - t0);
      copied.naive = ipc.byteLength;
      const t2 = now();
      sendWait(1, 11, new Uint8Array(column!.buffer, column!.byteOffset, column!.byteLength));
      rawRecv(1, 12);
      times['raw MPI, fresh buffer']!.push(now() - t2);
      copied['raw MPI, fresh buffer'] = 0;
    } else {
      const got = tableFromIPC(rawRecv(0, 7));
      checksum += got.numRows;
      sendWait(0, 8, new Uint8Array(8));
      checksum += rawRecv(0, 11, new Uint8Array(bytes)).byteLength;
      sendWait(0, 12, new Uint8Array(8));
    }
  }
  if (world.rank === 0) {
    for (const [method, xs] of Object.entries(times)) {
      console.log(JSON.stringify({ mib, method, near, us: median(xs), all: xs.map(Math.round), gbs: bytes / median(xs) / 1e3, copiedAtSender: copied[method] }));
    }
  }
}
comm.barrier();
await t.end();
if (checksum < 0) console.log(checksum);
