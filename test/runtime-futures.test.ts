// The future resolver: futures by id, their deadlines, stray replies, and
// failures rebuilt as the errors the caller meets.
import t from 'tap';
import { Futures } from '../src/runtime/futures.js';
import { FutureResolver, remoteError, REF_GET } from '../src/runtime/resolver.js';
import { zeroCounters } from '../src/runtime/counters.js';
import { RefError } from '../src/runtime/refs.js';
import { RemoteTaskError, UnknownTaskError } from '../src/errors.js';

t.test('a future settles once, by id; a second take finds nothing', async (t) => {
  const f = new Futures();
  const a = f.create('a');
  const b = f.create('b', undefined, 3);
  t.not(a.id, b.id);
  t.equal(f.size, 2);
  t.same(f.list(), [{ id: a.id, task: 'a' }, { id: b.id, task: 'b', target: 3 }]);
  f.take(b.id)!.resolve(42);
  t.equal(await b.promise, 42);
  t.equal(f.take(b.id), undefined);
  t.equal(f.size, 1);
  t.same(f.list(1).length, 1);
});

t.test('a deadline rejects with its error and drops the future; settling first clears it', async (t) => {
  const f = new Futures();
  const late = f.create('slow', { ms: 5, error: () => new Error('too late') });
  await t.rejects(late.promise, { message: 'too late' });
  t.equal(f.size, 0);
  t.equal(f.take(late.id), undefined, 'a result after the deadline finds nothing');
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const before = timers();
  const quick = f.create('quick', { ms: 20, error: () => new Error('should not fire') });
  t.equal(timers(), before + 1);
  f.take(quick.id)!.resolve('ok');
  t.equal(timers(), before, 'settling first clears the deadline');
  t.equal(await quick.promise, 'ok');
  await new Promise((r) => setTimeout(r, 40));
  t.equal(f.size, 0);
});

t.test('the resolver settles rows and counts strays', async (t) => {
  const counters = zeroCounters();
  const r = new FutureResolver(counters);
  const one = r.futures.create('sq');
  const two = r.futures.create('boom');
  t.equal(r.resolved(one.id, 9), true);
  t.equal(await one.promise, 9);
  t.equal(r.resolved(one.id, 9), false, 'a duplicate settles nothing');
  t.equal(r.failed(two.id, { error: new TypeError('bad'), host: 'h1' }, 2), true);
  const e = await two.promise.catch((x) => x);
  t.type(e, RemoteTaskError);
  t.match(e, { rank: 2, host: 'h1', task: 'boom', cause: { name: 'TypeError', message: 'bad' } });
  t.equal(r.failed(12345, {}, 1), false);
  t.match(counters, { resultsReceived: 2, strayResults: 2 });
});

t.test('a task run here for here settles without a row; a stray is counted', async (t) => {
  const counters = zeroCounters();
  const r = new FutureResolver(counters);
  const a = r.futures.create('x');
  const b = r.futures.create('y');
  r.resolveHere(a.id, 'v');
  r.rejectHere(b.id, new Error('e'), { rank: 0, host: 'h', task: 'y' });
  t.equal(await a.promise, 'v');
  t.match(await b.promise.catch((x) => x), { constructor: RemoteTaskError, rank: 0, task: 'y' });
  r.rejectHere(b.id, new UnknownTaskError('y', 0), { rank: 0, host: 'h', task: 'y' });
  t.equal(counters.strayResults, 1);
  t.equal(counters.resultsReceived, 0, 'nothing came over the wire');
});

t.test('failure rows become the errors the caller meets', async (t) => {
  t.type(remoteError({ unknown: true }, 3, 'nosuch'), UnknownTaskError);
  t.match(remoteError({ unknown: true }, 3, 'nosuch'), { rank: 3, task: 'nosuch' });
  const freed = Object.assign(new Error('Ref 1:4 has been freed'), { code: 'ERR_REF_FREED' });
  const ref = remoteError({ error: freed, host: 'h' }, 1, REF_GET);
  t.type(ref, RefError);
  t.match(ref, { code: 'ERR_REF_FREED', message: 'Ref 1:4 has been freed' });
  t.type(remoteError({ error: freed, host: 'h' }, 1, 'task'), RemoteTaskError, 'only a Ref fetch unwraps the RefError');
  t.match(remoteError(undefined, 5, 't'), { constructor: RemoteTaskError, host: '?', cause: { message: /rank 5 sent a failure without an error/ } });
});
