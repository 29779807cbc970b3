// Keys that name parts of the prototype chain ('__proto__', 'constructor',
// 'prototype') arrive as own keys: an object parsed from outside data must
// not come back with another prototype, a lost key, or a polluted
// Object.prototype. In one process, then through a real task between ranks.
import t from 'tap';
import { decodeValue, encodeValue } from './helpers/values.js';
import { runRanks } from './helpers/ranks.js';

const roundTrip = (v: unknown) => {
  const e = encodeValue(v);
  return decodeValue(e.body, e.buffers) as Record<string, unknown>;
};
const hostile = '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "prototype": 3, "a": 1}';

t.test('__proto__, constructor and prototype keys stay own keys', async (t) => {
  const back = roundTrip(JSON.parse(hostile));
  t.same(Object.keys(back), ['__proto__', 'constructor', 'prototype', 'a'], 'every key, in order');
  t.equal(Object.getPrototypeOf(back), Object.prototype, 'the prototype is still Object.prototype');
  t.same(Object.getOwnPropertyDescriptor(back, '__proto__'), { value: { polluted: 'yes' }, writable: true, enumerable: true, configurable: true });
  t.equal(back.polluted, undefined, 'nothing inherited from the key');
  t.same(back.constructor, { prototype: { polluted: 'yes' } }, 'constructor is an own plain object');
  t.equal(back.prototype, 3);
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
  t.notOk(Object.hasOwn(Object.prototype, 'polluted'));
});

t.test('the same keys, nested, shared and in a null-prototype object', async (t) => {
  const inner = JSON.parse(hostile);
  const back = roundTrip({ list: [inner, inner], deep: { x: inner } });
  const list = back.list as Record<string, unknown>[];
  t.equal(list[0], list[1], 'a shared object stays shared');
  t.equal((back.deep as Record<string, unknown>).x, list[0]);
  t.ok(Object.hasOwn(list[0]!, '__proto__'));
  t.equal(Object.getPrototypeOf(list[0]), Object.prototype);

  const bare = Object.create(null) as Record<string, unknown>;
  Object.defineProperty(bare, '__proto__', { value: { polluted: 'yes' }, writable: true, enumerable: true, configurable: true });
  bare.constructor = 1;
  const backBare = roundTrip(bare);
  t.equal(Object.getPrototypeOf(backBare), null, 'still a null prototype');
  t.same(Object.keys(backBare), ['__proto__', 'constructor']);
  t.same(backBare.__proto__, { polluted: 'yes' });
});

t.test('through a real task between two ranks', async (t) => {
  const run = runRanks('wire-prototype.ts', 2, { args: [hostile] });
  t.equal(run.code, 0, run.stderr);
  const seen = run.records.find((r) => r.check === 'seen on rank 1') ?? {};
  t.same(seen, { check: 'seen on rank 1', rank: 1, keys: ['__proto__', 'constructor', 'prototype', 'a'], plainProto: true, inherited: null, ownProto: { polluted: 'yes' } }, 'the task saw the object as sent');
  const back = run.records.find((r) => r.check === 'back on rank 0') ?? {};
  t.same(back, { check: 'back on rank 0', keys: ['__proto__', 'constructor', 'prototype', 'a'], plainProto: true, inherited: null, ownProto: { polluted: 'yes' } }, 'the result came back as sent');
  const clean = run.records.filter((r) => r.check === 'Object.prototype');
  t.same(clean.map((r) => r.rank).sort(), [0, 1], 'every rank reported');
  for (const r of clean) t.equal(r.polluted, false, `Object.prototype unpolluted on rank ${r.rank}`);
});
