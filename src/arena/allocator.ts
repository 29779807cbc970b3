// The owner-only allocator over an arena's segments: offsets only, no memory.
// Small blocks come from size-class slabs (O(1) alloc and free); large blocks
// are page runs from a coalescing page heap. Every block is 64-byte aligned.
import { ArenaBlockError, ArenaFullError, InvalidArgumentError } from '../errors.js';

export const ALIGN = 64;
export const PAGE = 4096;
/** Blocks up to this size come from slabs; larger ones are page runs. */
export const SMALL_MAX = 32 * 1024;
const SLAB_PAGES = 64; // 256 KiB per slab

/** Size classes: multiples of 64 up to 1 KiB, then four steps per power of two. */
export const SIZE_CLASSES: readonly number[] = (() => {
  const c: number[] = [];
  for (let s = 64; s <= 1024; s += 64) c.push(s);
  for (let base = 1024; base < SMALL_MAX; base *= 2) for (let k = 1; k <= 4; k++) c.push(base + (base / 4) * k);
  return c;
})();

function classOf(bytes: number): number {
  if (bytes <= 1024) return Math.max(0, Math.ceil(bytes / 64) - 1);
  let lo = 16;
  let hi = SIZE_CLASSES.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (SIZE_CLASSES[mid]! >= bytes) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** One number for (segment, offset), for maps keyed by block. */
export const blockKey = (segment: number, offset: number): number => segment * 2 ** 40 + offset;

/** Where a block lives: segment index and byte offset, and its usable length. */
export interface Allocation {
  segment: number;
  offset: number;
  /** Bytes reserved (the size class or whole pages), ≥ what was asked for. */
  reserved: number;
}

export interface AllocatorStats {
  capacity: number;
  /** Bytes reserved by live blocks. */
  inUse: number;
  /** Bytes asked for by live blocks. */
  requested: number;
  highWater: number;
  allocations: number;
  frees: number;
  live: number;
  smallLive: number;
  largeLive: number;
  slabs: number;
  segments: number;
  /** Free bytes in page runs (slab space excluded). */
  freePages: number;
  largestFreeRun: number;
}

class Slab {
  readonly free: number[] = [];
  readonly used: Uint8Array;
  live = 0;
  constructor(
    readonly id: number,
    readonly segment: number,
    readonly start: number,
    readonly cls: number,
  ) {
    const size = SIZE_CLASSES[cls]!;
    const n = Math.floor((SLAB_PAGES * PAGE) / size);
    this.used = new Uint8Array(n);
    for (let i = n - 1; i >= 0; i--) this.free.push(start + i * size);
  }
}

/** Free page runs of one segment, coalesced on free. */
class PageHeap {
  /** start page → length (pages) of each free run */
  private readonly runs = new Map<number, number>();
  /** end page (exclusive) → start page */
  private readonly ends = new Map<number, number>();
  /** bins by floor(log2(length)) → start pages */
  private readonly bins: Set<number>[] = [];
  freePages = 0;

  constructor(pages: number) {
    this.add(0, pages);
  }

  private add(start: number, len: number): void {
    this.runs.set(start, len);
    this.ends.set(start + len, start);
    const b = 31 - Math.clz32(len);
    (this.bins[b] ??= new Set()).add(start);
    this.freePages += len;
  }

  private remove(start: number, len: number): void {
    this.runs.delete(start);
    this.ends.delete(start + len);
    this.bins[31 - Math.clz32(len)]!.delete(start);
    this.freePages -= len;
  }

  /** First fit from the smallest bin that can hold `pages`: its start page, or -1. */
  private find(pages: number): number {
    for (let b = 31 - Math.clz32(pages); b < 32; b++) {
      const bin = this.bins[b];
      if (!bin || bin.size === 0) continue;
      for (const start of bin) if (this.runs.get(start)! >= pages) return start;
    }
    return -1;
  }

  /** The length of the free run take(pages) would carve from, or -1 if none fits. */
  fit(pages: number): number {
    const start = this.find(pages);
    return start < 0 ? -1 : this.runs.get(start)!;
  }

  /** Carves `pages` from the first fit (see find). Returns the start page or -1. */
  take(pages: number): number {
    const start = this.find(pages);
    if (start < 0) return -1;
    const len = this.runs.get(start)!;
    this.remove(start, len);
    if (len > pages) this.add(start + pages, len - pages);
    return start;
  }

  give(start: number, len: number): void {
    const after = this.runs.get(start + len);
    if (after !== undefined) {
      this.remove(start + len, after);
      len += after;
    }
    const before = this.ends.get(start);
    if (before !== undefined) {
      const blen = this.runs.get(before)!;
      this.remove(before, blen);
      start = before;
      len += blen;
    }
    this.add(start, len);
  }

  largest(): number {
    for (let b = this.bins.length - 1; b >= 0; b--) {
      const bin = this.bins[b];
      if (!bin || bin.size === 0) continue;
      let best = 0;
      for (const s of bin) best = Math.max(best, this.runs.get(s)!);
      return best;
    }
    return 0;
  }
}

interface SegmentState {
  heap: PageHeap;
  /** per page: 0 free, >0 slab id + 1 (every page of a slab), <0 −(pages) at a large block's first page */
  pages: Int32Array;
  bytes: number;
}

export interface AllocatorOptions {
  /** Bytes of each new segment (rounded up to pages). */
  segmentBytes: number;
  /** Most bytes the arena may hold over all segments. */
  limitBytes: number;
  /** Called to back a new segment; throwing means the arena cannot grow. */
  grow?: (segment: number, bytes: number) => void;
}

export class Allocator {
  private readonly segments: SegmentState[] = [];
  private readonly slabs: (Slab | undefined)[] = [];
  private readonly freeSlabIds: number[] = [];
  /** per size class: slabs with free blocks */
  private readonly partial: Set<Slab>[] = SIZE_CLASSES.map(() => new Set());
  private readonly requestedBy = new Map<number, number>(); // key → bytes asked (stats only)
  private s = { capacity: 0, inUse: 0, requested: 0, highWater: 0, allocations: 0, frees: 0, smallLive: 0, largeLive: 0 };

  constructor(private readonly opts: AllocatorOptions) {
    if (!(opts.segmentBytes > 0)) throw new InvalidArgumentError('ERR_INVALID_ARG_VALUE', `segmentBytes must be positive, got ${opts.segmentBytes}`);
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  /** Reserves `bytes` (≥ 1) and returns where; ArenaFullError if it cannot. */
  alloc(bytes: number): Allocation {
    if (!Number.isSafeInteger(bytes) || bytes < 0) throw new InvalidArgumentError('ERR_INVALID_ARG_VALUE', `cannot allocate ${bytes} bytes`);
    const size = Math.max(bytes, 1);
    const p = size <= SMALL_MAX ? this.allocSmall(size) : this.allocLarge(size);
    this.s.allocations++;
    this.s.requested += size;
    this.requestedBy.set(blockKey(p.segment, p.offset), size);
    this.s.inUse += p.reserved;
    if (this.s.inUse > this.s.highWater) this.s.highWater = this.s.inUse;
    return p;
  }

  /** Returns a block; ArenaBlockError if it is not a live block of this arena. */
  free(segment: number, offset: number): void {
    const seg = this.segments[segment];
    if (!seg || !Number.isInteger(offset) || offset < 0 || offset >= seg.bytes || offset % ALIGN !== 0) {
      throw new ArenaBlockError('ERR_INVALID_BLOCK', `(segment ${segment}, offset ${offset}) is not a block of this arena`);
    }
    const page = Math.floor(offset / PAGE);
    const mark = seg.pages[page]!;
    let reserved: number;
    if (mark > 0) {
      const slab = this.slabs[mark - 1]!;
      const size = SIZE_CLASSES[slab.cls]!;
      const index = (offset - slab.start) / size;
      if (!Number.isInteger(index) || slab.used[index] !== 1) {
        throw new ArenaBlockError('ERR_DOUBLE_FREE', `block (segment ${segment}, offset ${offset}) is not allocated (double free?)`);
      }
      slab.used[index] = 0;
      slab.free.push(offset);
      slab.live--;
      reserved = size;
      this.s.smallLive--;
      if (slab.live === 0) this.releaseSlab(slab);
      else this.partial[slab.cls]!.add(slab);
    } else if (mark < 0 && offset % PAGE === 0) {
      const pages = -mark;
      seg.pages[page] = 0;
      seg.heap.give(page, pages);
      reserved = pages * PAGE;
      this.s.largeLive--;
    } else {
      throw new ArenaBlockError('ERR_DOUBLE_FREE', `block (segment ${segment}, offset ${offset}) is not allocated (double free?)`);
    }
    const key = blockKey(segment, offset);
    this.s.requested -= this.requestedBy.get(key) ?? 0;
    this.requestedBy.delete(key);
    this.s.inUse -= reserved;
    this.s.frees++;
  }

  stats(): AllocatorStats {
    let freePages = 0;
    let largest = 0;
    for (const seg of this.segments) {
      freePages += seg.heap.freePages;
      largest = Math.max(largest, seg.heap.largest());
    }
    return {
      ...this.s,
      live: this.s.smallLive + this.s.largeLive,
      slabs: this.slabs.length - this.freeSlabIds.length,
      segments: this.segments.length,
      freePages: freePages * PAGE,
      largestFreeRun: largest * PAGE,
    };
  }

  private allocSmall(bytes: number): Allocation {
    const cls = classOf(bytes);
    let slab: Slab | undefined;
    for (const s of this.partial[cls]!) {
      slab = s;
      break;
    }
    if (!slab) slab = this.newSlab(cls, bytes);
    const offset = slab.free.pop()!;
    const size = SIZE_CLASSES[cls]!;
    slab.used[(offset - slab.start) / size] = 1;
    slab.live++;
    if (slab.free.length === 0) this.partial[cls]!.delete(slab);
    this.s.smallLive++;
    return { segment: slab.segment, offset, reserved: size };
  }

  private newSlab(cls: number, bytes: number): Slab {
    const { segment, page } = this.takePages(SLAB_PAGES, bytes);
    const id = this.freeSlabIds.pop() ?? this.slabs.length;
    const slab = new Slab(id, segment, page * PAGE, cls);
    this.slabs[id] = slab;
    this.segments[segment]!.pages.fill(id + 1, page, page + SLAB_PAGES);
    this.partial[cls]!.add(slab);
    return slab;
  }

  // An empty slab goes back to the page heap, so memory moves between size
  // classes and to large blocks instead of staying pinned to one class.
  private releaseSlab(slab: Slab): void {
    this.partial[slab.cls]!.delete(slab);
    const seg = this.segments[slab.segment]!;
    const page = slab.start / PAGE;
    seg.pages.fill(0, page, page + SLAB_PAGES);
    seg.heap.give(page, SLAB_PAGES);
    this.slabs[slab.id] = undefined;
    this.freeSlabIds.push(slab.id);
  }

  private allocLarge(bytes: number): Allocation {
    const pages = Math.ceil(bytes / PAGE);
    const { segment, page } = this.takePages(pages, bytes);
    this.segments[segment]!.pages[page] = -pages;
    this.s.largeLive++;
    return { segment, offset: page * PAGE, reserved: pages * PAGE };
  }

  // Best fit over segments: the segment whose fitting free run is smallest.
  // Small requests (slabs) would otherwise carve up the free run of a large
  // block's segment, and the next large block would need a new segment.
  private takePages(pages: number, requested: number): { segment: number; page: number } {
    let best = -1;
    let bestLen = Infinity;
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const len = this.segments[i]!.heap.fit(pages);
      if (len >= 0 && len < bestLen) {
        best = i;
        bestLen = len;
        if (len === pages) break;
      }
    }
    if (best >= 0) return { segment: best, page: this.segments[best]!.heap.take(pages) };
    const segBytes = Math.max(Math.ceil(this.opts.segmentBytes / PAGE), pages) * PAGE;
    if (this.s.capacity + segBytes > this.opts.limitBytes) {
      throw new ArenaFullError(
        `arena full: cannot allocate ${requested} bytes (capacity ${this.s.capacity}, in use ${this.s.inUse}, ` +
          `limit ${this.opts.limitBytes}; a new segment of ${segBytes} bytes would pass the limit)`,
        requested,
        this.s.capacity,
        this.s.inUse,
        this.opts.limitBytes,
      );
    }
    const index = this.segments.length;
    try {
      this.opts.grow?.(index, segBytes);
    } catch (err) {
      throw new ArenaFullError(
        `arena full: cannot allocate ${requested} bytes: adding a segment of ${segBytes} bytes failed (${(err as Error).message})`,
        requested,
        this.s.capacity,
        this.s.inUse,
        this.opts.limitBytes,
        { cause: err },
      );
    }
    const total = segBytes / PAGE;
    this.segments.push({ heap: new PageHeap(total), pages: new Int32Array(total), bytes: segBytes });
    this.s.capacity += segBytes;
    const page = this.segments[index]!.heap.take(pages);
    return { segment: index, page };
  }
}
