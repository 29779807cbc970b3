// Where received and arena-resident bytes live. Every block handed to JS as
// a payload is viewed through its own alias ArrayBuffer, so "no view of this
// block is left" is simply "the alias was collected" — whatever sub-views,
// Arrow columns or slices the program made from it.
import { addon } from '../../native/addon.js';
import type { BlockName } from '../../arena/arena.js';

const homes = new WeakMap<ArrayBuffer, BlockName>();
const streams = new WeakMap<object, Uint8Array>();
interface Gone {
  onGone?: () => void;
  /** Light aliases: the memory's own ArrayBuffer, kept alive while the alias lives, and the bytes it counted. */
  owner?: ArrayBufferLike;
  counted: number;
  /** Whether the program may end the alias early (releaseAlias). */
  releasable: boolean;
  done: boolean;
}
function end(g: Gone): void {
  if (g.done) return;
  g.done = true;
  if (g.owner && g.counted > 0) addon().uncount(g.counted);
  g.onGone?.();
}
const gone = new FinalizationRegistry<Gone>(end);
const records = new WeakMap<ArrayBuffer, Gone>();

/**
 * A new ArrayBuffer over exactly `bytes` (a block of some rank's arena named
 * `home`); `onGone` runs once no view of it is left. The garbage collector
 * sees `counted` of its bytes (default all; none for another rank's block).
 */
export function aliasBlock(bytes: Uint8Array, home: BlockName, onGone?: () => void, counted = bytes.byteLength, releasable = false, preferLight = true): ArrayBuffer {
  const native = addon();
  const light = native.lightAliases && preferLight;
  const ab = native.alias(bytes, counted, light);
  homes.set(ab, home);
  if (!light && !onGone && !releasable) return ab;
  const g: Gone = { onGone, owner: light ? bytes.buffer : undefined, counted: light ? Math.min(counted, bytes.byteLength) : 0, releasable, done: false };
  gone.register(ab, g, ab);
  records.set(ab, g);
  return ab;
}

/**
 * Ends a releasable alias now: detaches it (every view of it becomes empty,
 * so nothing can read the block once it is reused) and runs what its
 * collection would have run. Returns its length, or 0 if `ab` is not a
 * releasable alias or was ended before.
 */
export function releaseAlias(ab: ArrayBuffer): number {
  const g = records.get(ab);
  if (!g || !g.releasable || g.done) return 0;
  const length = ab.byteLength;
  gone.unregister(ab);
  addon().detach(ab);
  end(g);
  return length;
}

/** The arena block a view lies in, and where in it; undefined for ordinary memory. */
export function homeOf(view: ArrayBufferView): { block: BlockName; start: number } | undefined {
  const block = homes.get(view.buffer as ArrayBuffer);
  return block && { block, start: view.byteOffset };
}

/** Records the IPC stream an Arrow value was read from (so it can be passed on by reference). */
export function setStream(value: object, bytes: Uint8Array): void {
  streams.set(value, bytes);
}

export function streamOf(value: object): Uint8Array | undefined {
  return streams.get(value);
}
