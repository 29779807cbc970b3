// Where received and arena-resident bytes live. Every block handed to JS as
// a payload is viewed through its own alias ArrayBuffer, so "no view of this
// block is left" is simply "the alias was collected" — whatever sub-views,
// Arrow columns or slices the program made from it.
import { addon } from '../native/addon.js';
import type { BlockName } from '../arena/arena.js';

const homes = new WeakMap<ArrayBuffer, BlockName>();
const streams = new WeakMap<object, Uint8Array>();
const gone = new FinalizationRegistry<() => void>((done) => done());

/**
 * A new ArrayBuffer over exactly `bytes` (a block of some rank's arena named
 * `home`); `onGone` runs once no view of it is left. The garbage collector
 * sees `counted` of its bytes (default all; none for another rank's block).
 */
export function aliasBlock(bytes: Uint8Array, home: BlockName, onGone?: () => void, counted = bytes.byteLength): ArrayBuffer {
  const ab = addon().alias(bytes, counted);
  homes.set(ab, home);
  if (onGone) gone.register(ab, onGone);
  return ab;
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
