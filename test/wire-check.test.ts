import t from 'tap';
import { SerializationError } from '../src/errors.js';
import { checkValue } from '../src/wire/values/check.js';

t.test('values that can travel pass', async (t) => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const ok: unknown[] = [
    1, 'x', true, null, undefined, 12n, NaN,
    { a: [1, { b: 'c' }], d: new Date(0), r: /x/g },
    new Map<unknown, unknown>([[1, 'a'], ['k', { v: [1n] }]]),
    new Set([1, 'two', [3]]),
    new Float64Array(4), new Uint8Array(2).subarray(1), new ArrayBuffer(8), new DataView(new ArrayBuffer(4)), Buffer.from('hi'),
    new Error('boom', { cause: new TypeError('inner') }),
    Object.create(null),
    [1, , 3],
    cyclic,
  ];
  ok.forEach((v, i) => t.doesNotThrow(() => checkValue(v), `case ${i}`));
});

t.test('values that cannot travel name their path', async (t) => {
  class Model {
    w = 1;
  }
  const cases: [unknown, string, RegExp][] = [
    [() => 1, 'value', /a function/],
    [{ model: { fn() {} } }, 'value.model.fn', /function/],
    [[1, { model: { fn: () => 0 } }], 'value[1].model.fn', /function/],
    [{ s: Symbol('x') }, 'value.s', /a symbol/],
    [{ m: new Model() }, 'value.m', /instance of class Model/],
    [{ w: new WeakMap() }, 'value.w', /WeakMap/],
    [{ p: Promise.resolve(1) }, 'value.p', /Promise/],
    [{ 'odd key': { f: Math.max } }, 'value["odd key"].f', /function/],
    [new Map([['k', () => 0]]), 'value.get("k")', /function/],
    [new Set([1, () => 0]), 'value<item 1>', /function/],
    [{ [Symbol('tag')]: 1 }, 'value[Symbol(tag)]', /symbol-keyed/],
    [{ sab: new SharedArrayBuffer(8) }, 'value.sab', /SharedArrayBuffer/],
    [new Error('x', { cause: { f() {} } }), 'value.cause.f', /function/],
  ];
  for (const [v, path, reason] of cases) {
    t.throws(() => checkValue(v), SerializationError);
    try {
      checkValue(v);
    } catch (e) {
      const err = e as SerializationError;
      t.equal(err.code, 'ERR_NOT_SERIALIZABLE');
      t.equal(err.path, path);
      t.match(err.reason, reason);
      t.ok(err.message.startsWith(`${path} cannot be sent to another rank`), err.message);
    }
  }
  t.throws(() => checkValue([1, () => 0], 'args'), { path: 'args[1]' }, 'the caller names the root');
});
