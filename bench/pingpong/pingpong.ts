// Node ping-pong through the taskloaf addon, the same protocol as pingpong.c.
// mode "spin": poll MPI in a tight loop (what the progress engine does while
// work is outstanding); mode "turn": poll once per event-loop turn.
// Usage: taskloaf run -n 2 pingpong.ts spin|turn scale size...
import { setImmediate as turn } from 'node:timers/promises';
import { init, isend, native, world } from '../../src/mpi.js';

const [mode = 'spin', scaleArg = '1', ...sizeArgs] = process.argv.slice(2);
const scale = Number(scaleArg);
const sizes = sizeArgs.map(Number);
const iterations = (size: number) => Math.max(5, Math.min(100_000, Math.floor((2e9 / (size + 20_000)) * scale)));

init();
const n = native();
const comm = world();
const peer = 1 - comm.rank;
const max = Math.max(...sizes);
const buf = new Uint8Array(max).fill(1);
const done = new Uint32Array(16);

function recvSpin(target: Uint8Array): void {
  let id = 0;
  while ((id = comm.improbe(peer, 1)) === 0);
  n.mrecv(id, target);
}

async function recvTurn(target: Uint8Array): Promise<void> {
  let id = 0;
  while ((id = comm.improbe(peer, 1)) === 0) await turn();
  n.mrecv(id, target);
}

function send(data: Uint8Array): void {
  if (isend(comm, peer, 1, data) !== 0) {
    // Completion is collected lazily; the buffer is only read, never rewritten here.
    n.testsome(done);
  }
}

for (const size of sizes) {
  const view = buf.subarray(0, size);
  const iters = iterations(size);
  const warm = Math.floor(iters / 10) + 2;
  let t0 = 0;
  if (comm.rank < 2) {
    for (let i = 0; i < iters + warm; i++) {
      if (i === warm) {
        comm.barrier();
        t0 = n.wtime();
      }
      if (mode === 'spin') {
        // No promise on this path: a tight loop, as the progress engine runs while busy.
        if (comm.rank === 0) {
          send(view);
          recvSpin(view);
        } else {
          recvSpin(view);
          send(view);
        }
      } else if (comm.rank === 0) {
        send(view);
        await recvTurn(view);
      } else {
        await recvTurn(view);
        send(view);
      }
    }
  } else {
    comm.barrier();
  }
  const elapsed = n.wtime() - t0;
  while (n.pendingRequests() > 0) n.testsome(done);
  if (comm.rank === 0) {
    const half = elapsed / iters / 2;
    console.log(JSON.stringify({ size, iters, halfRoundTripUs: half * 1e6, bandwidthMBs: size / half / 1e6 }));
  }
}
