// Helpers for rank scripts: polling receive and completion without blocking
// the event loop, and content patterns that catch misplaced bytes.
import { setImmediate as turn } from 'node:timers/promises';
import { native, type Comm } from '../../src/mpi.js';

export interface Received {
  data: Buffer;
  source: number;
  tag: number;
}

/** Receives the next message matching (source, tag), yielding to the event loop while none is there. */
export async function recv(comm: Comm, source: number, tag: number): Promise<Received> {
  for (;;) {
    const id = comm.improbe(source, tag);
    if (id !== 0) {
      const status = native().probeStatus;
      const src = status[0]!;
      const t = status[1]!;
      return { data: native().mrecv(id), source: src, tag: t };
    }
    await turn();
  }
}

/** Waits until every request id in `ids` has completed; returns the order they completed in. */
export async function complete(ids: Iterable<number>): Promise<number[]> {
  const waiting = new Set([...ids].filter((id) => id !== 0));
  const order: number[] = [];
  const out = new Uint32Array(64);
  while (waiting.size > 0) {
    const n = native().testsome(out);
    for (let i = 0; i < n; i++) {
      if (!waiting.delete(out[i]!)) throw new Error(`request ${out[i]} completed twice or was never started`);
      order.push(out[i]!);
    }
    if (n === 0) await turn();
  }
  return order;
}

/** Bytes that depend on position and a seed, so a shifted or mixed-up buffer shows. */
export function pattern(length: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(length);
  let x = (seed * 2654435761) >>> 0;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

/** Prints one JSON record per line for the test to read. */
export function record(value: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}
