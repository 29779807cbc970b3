// An exact description of a value for t.strictSame: its type, constructor and
// prototype, every byte of a buffer or view, a Map's and Set's entries in
// order, array holes, boxed primitives, -0 and NaN. t.same passes 0n for 0,
// Object(3) for 3, a plain array for an Int8Array, a Uint8Array for a
// Uint8ClampedArray, null for undefined and {} for a Map; this does not.
export function exact(v: unknown, seen = new Map<object, number>()): unknown {
  switch (typeof v) {
    case 'undefined':
      return { undefined: true };
    case 'bigint':
      return { bigint: String(v) };
    case 'number':
      return { number: Object.is(v, -0) ? '-0' : String(v) };
    case 'string':
      return { string: v };
    case 'boolean':
      return { boolean: v };
    case 'symbol':
    case 'function':
      return { [typeof v]: String(v) };
  }
  if (v === null) return { null: true };
  const o = v as object;
  const ref = seen.get(o);
  if (ref !== undefined) return { ref };
  seen.set(o, seen.size);
  const proto = Object.getPrototypeOf(o) as { constructor?: { name: string } } | null;
  const ctor = proto === null ? null : (proto.constructor?.name ?? '?');
  if (o instanceof Number || o instanceof String || o instanceof Boolean || o instanceof BigInt) return { ctor, boxed: exact(o.valueOf(), seen) };
  if (ArrayBuffer.isView(o)) return { ctor, byteLength: o.byteLength, bytes: [...new Uint8Array(o.buffer, o.byteOffset, o.byteLength)] };
  if (o instanceof ArrayBuffer || o instanceof SharedArrayBuffer) return { ctor, bytes: [...new Uint8Array(o)] };
  if (o instanceof Date) return { ctor, time: String(o.getTime()) };
  if (o instanceof RegExp) return { ctor, source: o.source, flags: o.flags, lastIndex: o.lastIndex };
  if (o instanceof Error) {
    const e = o as Error & { code?: unknown };
    return { ctor, name: e.name, message: e.message, code: exact(e.code, seen), cause: exact(e.cause, seen) };
  }
  if (o instanceof Map) return { ctor, entries: [...o].map(([k, x]) => [exact(k, seen), exact(x, seen)]) };
  if (o instanceof Set) return { ctor, values: [...o].map((x) => exact(x, seen)) };
  if (Array.isArray(o)) {
    const items = Array.from({ length: o.length }, (_, i) => (i in o ? exact(o[i], seen) : { hole: true }));
    const extra = Object.keys(o).filter((k) => !/^\d+$/.test(k));
    return { ctor, length: o.length, items, ...(extra.length ? { extra: extra.map((k) => [k, exact((o as unknown as Record<string, unknown>)[k], seen)]) } : {}) };
  }
  return { ctor, keys: Object.keys(o).map((k) => [k, exact((o as Record<string, unknown>)[k], seen)]) };
}
