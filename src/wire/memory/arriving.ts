// Payload bytes that may still be arriving. A frame's large pieces are
// received while the frame is read: the rows and the Arrow structure are
// built from the frame and the metadata meanwhile, and whatever reads the
// bytes themselves (Arrow metadata in a piece of its own, a check of string
// offsets, a copy) first waits for them. One frame is read at a time, on the
// main thread.
interface Arriving {
  wait: () => void;
  regions: Uint8Array[];
}
const pending: Arriving[] = [];

/** `regions` are being received; `wait` returns once they all are there. */
export function arriving(wait: () => void, regions: Uint8Array[]): void {
  pending.push({ wait, regions });
}

/** Waits for every payload still arriving (nothing to do when none is). */
export function arrived(): void {
  while (pending.length > 0) pending.shift()!.wait();
}

/** Waits first if `length` bytes at `offset` of `bytes` lie in a region still arriving. */
export function readable(bytes: Uint8Array, offset: number, length: number): void {
  if (pending.length === 0) return;
  const start = bytes.byteOffset + offset;
  const end = start + length;
  for (const a of pending) {
    for (const r of a.regions) {
      if (r.buffer === bytes.buffer && start < r.byteOffset + r.byteLength && r.byteOffset < end) {
        arrived();
        return;
      }
    }
  }
}
