// Decides, at the sender and before anything is sent, whether a value can
// travel to another rank, and names the first part that cannot by its path.
import { SerializationError } from '../../errors.js';

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const TypedArray = Object.getPrototypeOf(Uint8Array) as abstract new () => ArrayBufferView;

/** Extra classes that may travel (Arrow values, Refs), registered by the layers that encode them. */
const travellers = new Set<abstract new (...args: never[]) => unknown>();
export function allowClass(cls: abstract new (...args: never[]) => unknown): void {
  travellers.add(cls);
}

function isBuiltinLeaf(v: object): boolean {
  return (
    v instanceof Date ||
    v instanceof RegExp ||
    v instanceof ArrayBuffer ||
    v instanceof TypedArray ||
    v instanceof DataView ||
    v instanceof Number ||
    v instanceof String ||
    v instanceof Boolean ||
    Object.prototype.toString.call(v) === '[object BigInt]'
  );
}

function why(v: unknown): string | null {
  switch (typeof v) {
    case 'function':
      return 'a function (tasks are found by name; code never travels)';
    case 'symbol':
      return 'a symbol';
    default:
      break;
  }
  if (typeof v !== 'object' || v === null) return null;
  if (v instanceof WeakMap || v instanceof WeakSet || (typeof WeakRef !== 'undefined' && v instanceof WeakRef)) {
    return `a ${v.constructor.name}`;
  }
  if (v instanceof Promise) return 'a Promise (await it first)';
  if (typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer) return 'a SharedArrayBuffer (it cannot be shared across processes)';
  return null;
}

function childPath(path: string, key: string): string {
  return IDENT.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** Throws SerializationError with the path of the first part of `value` that cannot travel. */
export function checkValue(value: unknown, path = 'value'): void {
  const seen = new Set<object>();
  const stack: [unknown, string][] = [[value, path]];
  while (stack.length > 0) {
    const [v, p] = stack.pop()!;
    const reason = why(v);
    if (reason) throw new SerializationError(`${p} cannot be sent to another rank: it is ${reason}`, p, reason);
    if (typeof v !== 'object' || v === null || seen.has(v)) continue;
    seen.add(v);
    if (isBuiltinLeaf(v)) continue;
    if ([...travellers].some((cls) => v instanceof cls)) continue;
    if (v instanceof Map) {
      let i = 0;
      for (const [k, val] of v) {
        stack.push([k, `${p}<key ${i}>`], [val, `${p}.get(${typeof k === 'string' || typeof k === 'number' ? JSON.stringify(k) : `<key ${i}>`})`]);
        i++;
      }
      continue;
    }
    if (v instanceof Set) {
      let i = 0;
      for (const item of v) stack.push([item, `${p}<item ${i++}>`]);
      continue;
    }
    if (v instanceof Error) {
      if (v.cause !== undefined) stack.push([v.cause, `${p}.cause`]);
      continue;
    }
    const proto = Object.getPrototypeOf(v);
    if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) {
      const name = (proto?.constructor as { name?: string } | undefined)?.name || 'an anonymous class';
      const reason = `an instance of class ${name}, which the receiving rank cannot rebuild (send a plain object)`;
      throw new SerializationError(`${p} cannot be sent to another rank: it is ${reason}`, p, reason);
    }
    for (const sym of Object.getOwnPropertySymbols(v)) {
      const at = `${p}[${String(sym)}]`;
      const reason = 'a symbol-keyed property, which would be lost';
      throw new SerializationError(`${at} cannot be sent to another rank: it is ${reason}`, at, reason);
    }
    const keys = Object.keys(v);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i]!;
      const child = (v as Record<string, unknown>)[k];
      stack.push([child, Array.isArray(v) && /^\d+$/.test(k) ? `${p}[${k}]` : childPath(p, k)]);
    }
  }
}
