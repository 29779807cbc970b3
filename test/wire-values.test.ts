import t from 'tap';
import { SerializationError } from '../src/errors.js';
import { OUT_OF_BAND_BYTES } from '../src/wire/values/codec.js';
import { decodeValue, encodeValue } from './helpers/values.js';
import { exact } from './helpers/describe.js';
import { isMalformed } from '../src/errors.js';

const roundTrip = (v: unknown) => {
  const e = encodeValue(v);
  return decodeValue(e.body, e.buffers);
};

t.test('every supported value type round-trips, nested and mixed', async (t) => {
  const values: unknown[] = [
    undefined, null, true, false, 0, -0, 1, -1, 2 ** 31, -(2 ** 31) - 1, 1.5, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER,
    '', 'plain', 'ünïcödé ✓ 𝄞', 'x'.repeat(100_000),
    0n, 1n, -1n, 2n ** 64n + 7n, -(2n ** 200n),
    [], [1, 'a', null, [2, [3]]], [1, , 3],
    {}, { a: 1, b: { c: [true, 'x'] }, 'odd key': 2, 10: 'ten' },
    new Map<unknown, unknown>([[1, 'one'], ['k', { v: [1n] }], [{ o: 1 }, new Set([1])]]),
    new Set([1, 'two', [3], 4n]),
    new Date(1700000000000), /a+b/giu,
    new Int8Array([-1, 2]), new Uint8ClampedArray([255]), new Int16Array([-300]), new Uint16Array([60000]),
    new Int32Array([-7]), new Uint32Array([4e9]), new Float32Array([1.5]), new Float64Array([Math.PI]),
    new BigInt64Array([-5n]), new BigUint64Array([2n ** 63n]), new DataView(new Uint8Array([1, 2, 3]).buffer),
    Buffer.from('buffer bytes'), new ArrayBuffer(16), new Uint8Array(0),
    Object(3), Object('s'), Object(false),
  ];
  for (const [i, v] of values.entries()) t.strictSame(exact(roundTrip(v)), exact(v), `case ${i}`);
  const nullProto = Object.assign(Object.create(null), { a: 1 });
  const back = roundTrip(nullProto) as object;
  t.equal(Object.getPrototypeOf(back), null, 'null-prototype objects stay so');
  t.ok(Buffer.isBuffer(roundTrip(Buffer.from('x'))), 'a Buffer comes back as a Buffer');
  t.ok(roundTrip(new Float64Array(2)) instanceof Float64Array);
  t.ok(Number.isNaN((roundTrip(new Date(NaN)) as Date).getTime()), 'an invalid Date stays invalid');
  t.ok(Object.is(roundTrip(-0), -0), '-0 keeps its sign');
});

t.test('errors keep name, message, stack, code and cause', async (t) => {
  const inner = new TypeError('inner');
  const e = Object.assign(new RangeError('outer', { cause: inner }), { code: 'ERR_X' });
  const back = roundTrip(e) as Error & { code: string; cause: Error };
  t.ok(back instanceof Error);
  t.equal(back.name, 'RangeError');
  t.equal(back.message, 'outer');
  t.equal(back.stack, e.stack);
  t.equal(back.code, 'ERR_X');
  t.equal(back.cause.message, 'inner');
  t.equal(back.cause.name, 'TypeError');
});

t.test('shared and cyclic references survive', async (t) => {
  const shared = { s: 1 };
  const cyc: Record<string, unknown> = { shared, list: [shared] };
  cyc.self = cyc;
  const back = roundTrip(cyc) as typeof cyc & { list: unknown[] };
  t.equal(back.self, back, 'cycle');
  t.equal(back.shared, back.list[0], 'shared reference');
  const m = new Map();
  m.set('me', m);
  const mb = roundTrip(m) as Map<string, unknown>;
  t.equal(mb.get('me'), mb, 'a Map containing itself');
});

t.test('large views travel out of band without a copy; small ones inline', async (t) => {
  const big = new Float64Array(1024);
  big.fill(2.5);
  const slice = new Uint8Array(new ArrayBuffer(OUT_OF_BAND_BYTES * 4), 8, OUT_OF_BAND_BYTES * 2);
  const small = new Int32Array([1, 2, 3]);
  const e = encodeValue({ big, slice, small, again: big });
  t.equal(e.buffers.length, 2, 'two out-of-band payloads (the repeated one is a back-reference)');
  t.equal(e.buffers[0]!.buffer, big.buffer, 'the payload is the sender\'s memory');
  t.equal(e.buffers[1]!.byteOffset, 8);
  t.equal(e.buffers[1]!.byteLength, OUT_OF_BAND_BYTES * 2, 'only the viewed range travels');
  t.ok(e.body.byteLength < 200, `the body is small (${e.body.byteLength} bytes)`);
  // The receiver's payloads: 8-aligned sections of one received buffer.
  const frame = new Uint8Array(16384);
  frame.set(e.buffers[0]!, 0);
  frame.set(e.buffers[1]!, 8192);
  const back = decodeValue(e.body, [frame.subarray(0, 8192), frame.subarray(8192, 8192 + 2048)]) as { big: Float64Array; slice: Uint8Array; small: Int32Array; again: Float64Array };
  t.equal(back.big.buffer, frame.buffer, 'the received array views the received bytes in place');
  t.equal(back.big[1023], 2.5);
  t.equal(back.again, back.big);
  t.same([...back.small], [1, 2, 3]);
});

t.test('what cannot travel is a SerializationError with its path', async (t) => {
  t.throws(() => encodeValue({ model: { fn() {} } }, 'args[1]'), { code: 'ERR_NOT_SERIALIZABLE', path: 'args[1].model.fn' });
  class Opaque {}
  t.throws(() => encodeValue([new Opaque()], 'result'), SerializationError);
  t.throws(() => encodeValue(Symbol('s')), { path: 'value' });
});

t.test('malformed bodies are rejected as malformed, never anything else (fuzz)', async (t) => {
  let x = 99;
  const rand = () => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const seeds = [
    encodeValue({ a: [1, 'two', { c: new Map([[1, new Set([2n])]]) }], d: new Date(0), r: /x/g, e: new Error('e'), v: new Int16Array(4) }).body,
    encodeValue([1.5, 'strings', [[], {}], null, undefined, true]).body,
  ];
  const iterations = Number(process.env.TASKLOAF_FUZZ ?? 100_000);
  let rejected = 0;
  for (let i = 0; i < iterations; i++) {
    const input = new Uint8Array(seeds[i % seeds.length]!);
    for (let k = 0; k < 1 + Math.floor(rand() * 3); k++) input[Math.floor(rand() * input.length)] = Math.floor(rand() * 256);
    const cut = rand() < 0.2 ? input.subarray(0, Math.floor(rand() * input.length)) : input;
    try {
      decodeValue(cut, []);
    } catch (e) {
      if (!isMalformed(e)) {
        t.fail(`input ${i}: ${(e as Error).name}: ${(e as Error).message}`);
        break;
      }
      rejected++;
    }
  }
  t.ok(rejected > 0, `${iterations} mutated bodies, ${rejected} rejected, the rest decoded`);
});

t.test('an encoded body is its own memory: later encodes do not change it', async (t) => {
  const a = encodeValue({ first: 'value', n: 1 });
  const copy = new Uint8Array(a.body);
  encodeValue({ second: 'something else entirely', n: 2, list: [1, 2, 3] });
  t.strictSame(exact(a.body), exact(copy));
  t.equal(a.body.byteOffset, 0);
  t.equal(a.body.buffer.byteLength, a.body.byteLength, 'not a view of a shared scratch buffer');
  t.strictSame(exact(decodeValue(a.body)), exact({ first: 'value', n: 1 }));
});

t.test('primitives and short arrays of them are written as the general encoder writes them', async (t) => {
  // Inside an object a value goes through the general encoder; alone it may
  // take the short path. Its bytes must be the same either way.
  const values: unknown[] = [
    undefined, null, true, false, 0, -0, 7, -(2 ** 31), 2 ** 31, 1.5, NaN, '', 'noop', 'ünï ✓',
    [], [1, 'a', null, true, undefined, -0, 2.5, 'ü'], [1, , 3], new Array(9).fill(1), [1, [2]], [1, 2n], [{ a: 1 }],
  ];
  for (const [i, v] of values.entries()) {
    const alone = encodeValue(v).body;
    const wrapped = encodeValue({ a: v }).body;
    t.same(Buffer.from(wrapped.subarray(wrapped.length - alone.length)), Buffer.from(alone), `case ${i}: same bytes`);
    const back = roundTrip(v) as unknown[];
    t.strictSame(exact(back), exact(v), `case ${i}: round-trips`);
    if (Array.isArray(v) && v.length === 3 && !(1 in v)) t.notOk(1 in back, 'a hole stays a hole');
  }
  t.ok(Object.is(roundTrip([-0])[0 as never], -0), '-0 in an array stays -0');
  const throwing = [1, 2];
  Object.defineProperty(throwing, 1, { get: () => { throw new Error('no'); } });
  t.throws(() => encodeValue(throwing, 'args'), { message: 'no' }, "an index getter's own error comes through, as from the general encoder");
});
