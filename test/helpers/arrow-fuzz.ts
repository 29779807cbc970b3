// One mutated Arrow stream through the decoder: read back whole, or refused
// with a RangeError; anything else is a defect (returned as the error).
import { ArrowKind, decodeArrow } from '../../src/wire/arrow.js';
import { describeValue } from '../ranks/wire-cases.js';

export function decodeMutated(bytes: Uint8Array, kind: ArrowKind): 'read' | 'rejected' | Error {
  try {
    const v = decodeArrow(bytes, kind) as { length?: number; numRows?: number };
    // Reading every row must not throw anything but RangeError either (a mutated
    // length may claim billions of rows of a type that needs no bytes: not read).
    if ((v.numRows ?? v.length ?? 0) <= 1e5) describeValue(v);
    return 'read';
  } catch (e) {
    // apache-arrow refuses to read a 64-bit date beyond 2^53 ms: a value it cannot show, not a broken structure.
    if (e instanceof TypeError && /not safe to convert to a number/.test(e.message)) return 'read';
    return e instanceof RangeError ? 'rejected' : (e as Error);
  }
}
