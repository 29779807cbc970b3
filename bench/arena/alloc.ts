// Allocation rate: the arena next to new ArrayBuffer and Buffer.allocUnsafe,
// each keeping a window of live blocks (free the oldest, allocate a new one).
// Prints one JSON line per (kind, allocator).
import { Arena, type Block } from '../../src/arena/arena.js';

const [countArg = '200000'] = process.argv.slice(2);
const COUNT = Number(countArg);
const WINDOW = 1000;

function sizes(kind: 'small' | 'large', n: number): Uint32Array {
  const out = new Uint32Array(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = kind === 'small' ? 16 + (x % 2033) : 65536 + (x % (1 << 20));
  }
  return out;
}

function time(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const arena = new Arena({ job: `bench${process.pid}`, rank: 0, numaNode: -1, segmentBytes: 256 * 2 ** 20, limitBytes: 4 * 2 ** 30 });
for (const kind of ['small', 'large'] as const) {
  const n = kind === 'small' ? COUNT : Math.max(1000, Math.floor(COUNT / 20));
  const s = sizes(kind, n);
  const window: (Block | ArrayBuffer | Buffer | undefined)[] = new Array(WINDOW);
  const runs: Record<string, () => void> = {
    arena: () => {
      for (let i = 0; i < n; i++) {
        const old = window[i % WINDOW] as Block | undefined;
        if (old) arena.free(old);
        const b = arena.alloc(s[i]!);
        b.bytes[0] = 1;
        window[i % WINDOW] = b;
      }
      for (let i = 0; i < WINDOW; i++) {
        const old = window[i] as Block | undefined;
        if (old) arena.free(old);
        window[i] = undefined;
      }
    },
    arrayBuffer: () => {
      for (let i = 0; i < n; i++) {
        const ab = new ArrayBuffer(s[i]!);
        new Uint8Array(ab)[0] = 1;
        window[i % WINDOW] = ab;
      }
      window.fill(undefined);
    },
    allocUnsafe: () => {
      for (let i = 0; i < n; i++) {
        const b = Buffer.allocUnsafe(s[i]!);
        b[0] = 1;
        window[i % WINDOW] = b;
      }
      window.fill(undefined);
    },
  };
  for (const [name, fn] of Object.entries(runs)) {
    fn(); // warm up
    const seconds = time(fn);
    console.log(JSON.stringify({ kind, allocator: name, count: n, seconds, perSecond: n / seconds }));
  }
}
arena.close();
