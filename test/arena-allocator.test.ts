import t from 'tap';
import { rng } from './helpers/random.js';
import { Allocator, ALIGN, PAGE, SIZE_CLASSES, SMALL_MAX } from '../src/arena/allocator.js';
import { ArenaBlockError, ArenaFullError } from '../src/errors.js';

interface Live {
  segment: number;
  offset: number;
  reserved: number;
  asked: number;
}

function checkNoOverlap(t: Tap.Test, live: Live[]) {
  const sorted = [...live].sort((a, b) => a.segment - b.segment || a.offset - b.offset);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (a.segment === b.segment && a.offset + a.reserved > b.offset) {
      t.fail(`blocks overlap: ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
      return false;
    }
  }
  return true;
}

t.test('long random alloc/free sequences: no overlap, aligned, reused, stats add up', async (t) => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const rand = rng(seed);
    const grown: number[] = [];
    const a = new Allocator({ segmentBytes: 8 << 20, limitBytes: 512 << 20, grow: (_s, bytes) => grown.push(bytes) });
    const live: Live[] = [];
    let overlapsOk = true;
    let reusedOffsets = 0;
    const seen = new Set<string>();
    for (let step = 0; step < 20_000; step++) {
      if (live.length > 0 && (rand() < 0.45 || live.length > 2000)) {
        const i = Math.floor(rand() * live.length);
        const b = live[i]!;
        live[i] = live[live.length - 1]!;
        live.pop();
        a.free(b.segment, b.offset);
      } else {
        // Mostly small, some large, a few very large.
        const r = rand();
        const asked = r < 0.8 ? 1 + Math.floor(rand() * 2048) : r < 0.97 ? 1 + Math.floor(rand() * SMALL_MAX * 4) : 1 + Math.floor(rand() * (2 << 20));
        const p = a.alloc(asked);
        const key = `${p.segment}:${p.offset}`;
        if (seen.has(key)) reusedOffsets++;
        seen.add(key);
        if (p.offset % ALIGN !== 0) t.fail(`misaligned block at ${p.offset}`);
        if (p.reserved < asked) t.fail(`reserved ${p.reserved} < asked ${asked}`);
        live.push({ ...p, asked });
      }
      if (step % 1000 === 0) overlapsOk = checkNoOverlap(t, live) && overlapsOk;
      const s = a.stats();
      if (s.live !== live.length) {
        t.fail(`live count ${s.live} != ${live.length}`);
        break;
      }
    }
    overlapsOk = checkNoOverlap(t, live) && overlapsOk;
    const s = a.stats();
    t.ok(overlapsOk, `seed ${seed}: no overlaps`);
    t.equal(s.inUse, live.reduce((n, b) => n + b.reserved, 0), `seed ${seed}: in-use bytes add up`);
    t.equal(s.requested, live.reduce((n, b) => n + b.asked, 0), `seed ${seed}: requested bytes add up`);
    t.equal(s.allocations - s.frees, live.length, `seed ${seed}: allocations − frees = live`);
    t.ok(s.highWater >= s.inUse && s.highWater <= s.capacity, `seed ${seed}: high-water mark within capacity`);
    t.ok(reusedOffsets > 1000, `seed ${seed}: memory is reused (${reusedOffsets} reuses)`);
    t.equal(s.capacity, grown.reduce((x, y) => x + y, 0), `seed ${seed}: capacity is the segments grown`);
    // Free everything: the arena returns to one free run per segment.
    for (const b of live) a.free(b.segment, b.offset);
    const e = a.stats();
    t.equal(e.inUse, 0);
    t.equal(e.slabs, 0, `seed ${seed}: empty slabs go back to the page heap`);
    t.equal(e.freePages, e.capacity, `seed ${seed}: every page is free again`);
  }
});

t.test('size classes and rounding', async (t) => {
  t.ok(SIZE_CLASSES.every((c) => c % ALIGN === 0), 'every class is a multiple of 64');
  t.ok(SIZE_CLASSES.every((c, i) => i === 0 || c > SIZE_CLASSES[i - 1]!), 'classes increase');
  const a = new Allocator({ segmentBytes: 1 << 20, limitBytes: 64 << 20 });
  t.equal(a.alloc(1).reserved, 64);
  t.equal(a.alloc(0).reserved, 64, 'zero bytes still gets a distinct block');
  t.equal(a.alloc(65).reserved, 128);
  t.equal(a.alloc(1025).reserved, 1280);
  t.equal(a.alloc(SMALL_MAX + 1).reserved, Math.ceil((SMALL_MAX + 1) / PAGE) * PAGE, 'large blocks are whole pages');
  // Worst-case internal waste of a small block stays under 25% past 1 KiB.
  for (let n = 1025; n <= SMALL_MAX; n += 97) {
    const r = a.alloc(n);
    if ((r.reserved - n) / n >= 0.25) t.fail(`class for ${n} wastes ${r.reserved - n}`);
    a.free(r.segment, r.offset);
  }
});

t.test('exhaustion is an ArenaFullError with the sizes involved', async (t) => {
  const a = new Allocator({ segmentBytes: 1 << 20, limitBytes: 2 << 20 });
  a.alloc(900_000);
  a.alloc(900_000);
  t.equal(a.stats().segments, 2, 'grew by a segment');
  t.throws(() => a.alloc(900_000), ArenaFullError);
  t.throws(() => a.alloc(900_000), { code: 'ERR_ARENA_FULL', requested: 900_000, capacity: 2 << 20, limit: 2 << 20, message: /900000 bytes/ });
  const failing = new Allocator({ segmentBytes: 1 << 20, limitBytes: 1 << 30, grow: () => { throw new Error('no memory'); } });
  t.throws(() => failing.alloc(10), { code: 'ERR_ARENA_FULL', message: /no memory/, cause: { message: 'no memory' } });
});

t.test('bad sizes are coded argument errors', async (t) => {
  t.throws(() => new Allocator({ segmentBytes: 0, limitBytes: 1 << 20 }), { code: 'ERR_INVALID_ARG_VALUE', message: /segmentBytes/ });
  const a = new Allocator({ segmentBytes: 1 << 20, limitBytes: 1 << 20 });
  for (const bad of [-1, 1.5, Number.NaN]) t.throws(() => a.alloc(bad), { code: 'ERR_INVALID_ARG_VALUE', message: /cannot allocate/ }, String(bad));
});

t.test('double free and foreign blocks are errors, not corruption', async (t) => {
  const a = new Allocator({ segmentBytes: 1 << 20, limitBytes: 1 << 20 });
  const small = a.alloc(100);
  const large = a.alloc(100_000);
  a.free(small.segment, small.offset);
  t.throws(() => a.free(small.segment, small.offset), { code: 'ERR_DOUBLE_FREE' });
  a.free(large.segment, large.offset);
  t.throws(() => a.free(large.segment, large.offset), { code: 'ERR_DOUBLE_FREE' });
  t.throws(() => a.free(7, 0), ArenaBlockError);
  t.throws(() => a.free(0, 13), { code: 'ERR_INVALID_BLOCK' });
  t.throws(() => a.free(0, 1 << 30), { code: 'ERR_INVALID_BLOCK' });
  const again = a.alloc(100);
  t.equal(a.stats().live, 1, 'state intact after the refused frees');
  a.free(again.segment, again.offset);
});

t.test('best fit over segments: small blocks do not carve up the room a large block left', async (t) => {
  const grown: number[] = [];
  const a = new Allocator({ segmentBytes: 1 << 20, limitBytes: 256 << 20, grow: (_s, bytes) => grown.push(bytes) });
  a.alloc(1000); // a slab in segment 0 (1 MiB)
  const big = a.alloc(16 << 20); // a segment of its own
  t.equal(big.segment, 1);
  a.free(big.segment, big.offset);
  // Small blocks go to segment 0, whose free run is smaller; segment 1 keeps
  // its whole run for the next large block, which needs no new segment.
  const segments = new Set(Array.from({ length: 40 }, (_, i) => a.alloc(4000 + i).segment));
  t.same([...segments], [0], 'small blocks went to segment 0');
  const again = a.alloc(16 << 20);
  t.same([again.segment, again.offset], [1, 0], 'the large block reuses its segment');
  t.equal(grown.length, 2, 'no segment was added');
});
