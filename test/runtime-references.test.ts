// The reference counter without MPI: an owner and holders exchange weight;
// the value is freed exactly when no Ref is left anywhere, refills keep a
// holder's weight up, and late grants and fetches of freed values are safe.
import t from 'tap';
import { ReferenceCounter } from '../src/runtime/references.js';
import { FutureResolver } from '../src/runtime/resolver.js';
import { TaskExecution } from '../src/runtime/execution.js';
import { Ref, setRefHost, INITIAL_WEIGHT } from '../src/runtime/refs.js';
import { Kind } from '../src/runtime/messages.js';
import { FakeNetwork } from './helpers/fake-link.js';
import { fakeRank } from './helpers/rank-parts.js';
import type { Row } from '../src/runtime/link.js';

// Ranks of one process share Ref's host: act(rank, fn) runs fn as that rank.
function world(size: number) {
  const net = new FakeNetwork(size);
  const ranks = Array.from({ length: size }, (_, r) => {
    const fr = fakeRank(net, r);
    const resolver = new FutureResolver(fr.ctx.counters);
    const execution = new TaskExecution(fr.ctx, resolver);
    const refs = new ReferenceCounter(fr.ctx, resolver, execution, (v) => v);
    const onRow = (row: Row, source: number) => {
      switch (row.kind) {
        case Kind.Fetch: return refs.onFetch(row.rank, row.id, row.aux);
        case Kind.RefRelease: return refs.onRelease(row.aux, row.id);
        case Kind.RefRefill: return refs.onRefill(source, row.aux);
        case Kind.RefGrant: return refs.onGrant(source, row.aux, row.id);
        case Kind.Result: return void resolver.resolved(row.id, row.value);
        case Kind.Failure: return void resolver.failed(row.id, row.value, source);
      }
    };
    (fr as unknown as { onRow: typeof onRow }).onRow = onRow;
    return { ...fr, refs, resolver };
  });
  const act = <T>(rank: number, fn: () => T): T => {
    setRefHost(ranks[rank]!.refs.host);
    try {
      return fn();
    } finally {
      setRefHost(undefined);
    }
  };
  // Delivers every row in flight, as each receiving rank.
  const settle = () => {
    for (let guard = 0; guard < 100; guard++) {
      for (const r of ranks) r.ctx.out.flush();
      if (net.inFlight === 0) return;
      for (const r of ranks) act(r.ctx.rank, () => r.link.poll());
    }
    throw new Error('rows kept flowing');
  };
  // A copy of `ref` as the wire makes it: the sender splits off weight, the receiver builds a Ref.
  const send = <T>(from: number, ref: Ref<T>, to: number): Ref<T> => {
    const weight = act(from, () => ref.split());
    return act(to, () => new Ref<T>(ref.owner, ref.id, weight));
  };
  return { net, ranks, act, settle, send };
}

t.test('freed exactly once, when the last Ref anywhere is released', async (t) => {
  const w = world(3);
  const owner = w.ranks[0]!;
  const ref = w.act(0, () => owner.refs.put({ big: 'value' }));
  const at1 = w.send(0, ref, 1);
  const at2 = w.send(1, at1, 2); // passed on with no message to the owner
  t.equal(w.net.log.length, 0);
  w.act(0, () => ref.release());
  w.settle();
  t.equal(owner.refs.live, 1, 'ranks 1 and 2 still hold it');
  w.act(1, () => at1.release());
  w.settle();
  t.equal(owner.refs.live, 1);
  t.equal(owner.ctx.counters.refsFreed, 0);
  w.act(2, () => at2.release());
  w.act(2, () => at2.release()); // twice: given back once
  w.settle();
  t.equal(owner.refs.live, 0);
  t.equal(owner.ctx.counters.refsFreed, 1);
  t.equal(owner.ctx.counters.refMessagesReceived, 2);
  t.equal(w.ranks[1]!.ctx.counters.refMessagesSent + w.ranks[2]!.ctx.counters.refMessagesSent, 2);
});

t.test('a holder low on weight asks for more, and the owner counts it first', async (t) => {
  const w = world(2);
  const ref = w.act(0, () => w.ranks[0]!.refs.put(7));
  const held = w.send(0, ref, 1);
  t.equal(held.box.weight, INITIAL_WEIGHT);
  const copies: Ref<number>[] = [];
  // Each copy halves the holder's weight; below the threshold one refill goes out.
  for (let i = 0; i < 30; i++) copies.push(w.send(1, held, 1));
  const refills = w.net.log.filter((l) => l.row.kind === Kind.RefRefill);
  t.equal(refills.length + w.ranks[1]!.link.queued, 1, 'one refill, however many copies');
  w.settle();
  t.equal(w.net.log.filter((l) => l.row.kind === Kind.RefGrant).length, 1);
  t.ok(held.box.weight > INITIAL_WEIGHT - 1, 'refilled');
  t.equal(held.box.refilling, false);
  w.act(0, () => ref.release());
  w.act(1, () => held.release());
  w.settle();
  t.equal(w.ranks[0]!.refs.live, 1, 'the copies still hold it: the refill was counted before it was granted');
  for (const c of copies) w.act(1, () => c.release());
  w.settle();
  t.equal(w.ranks[0]!.refs.live, 0, 'all weight, refill included, came back');
  t.equal(w.ranks[0]!.ctx.counters.refsFreed, 1);
});

t.test('a grant for a Ref released meanwhile goes straight back', async (t) => {
  const w = world(2);
  const ref = w.act(0, () => w.ranks[0]!.refs.put('x'));
  const held = w.send(0, ref, 1);
  w.act(0, () => ref.release());
  const copies: Ref<string>[] = [];
  for (let i = 0; i < 30; i++) copies.push(w.send(1, held, 1));
  w.ranks[1]!.ctx.out.flush();
  // The refill is on its way; every Ref on rank 1 goes before the grant comes.
  w.act(1, () => held.release());
  for (const c of copies) w.act(1, () => c.release());
  w.settle();
  t.equal(w.ranks[0]!.refs.live, 0);
  t.equal(w.ranks[0]!.ctx.counters.refsFreed, 1);
});

t.test('get() of a freed value rejects with ERR_REF_FREED, here and from afar', async (t) => {
  const w = world(2);
  const ref = w.act(0, () => w.ranks[0]!.refs.put(1));
  const held = w.send(0, ref, 1);
  const got = w.act(1, () => held.get());
  w.settle();
  t.equal(await got, 1);
  // The owner frees it (say its last local Ref went and rank 1's weight was lost).
  w.act(0, () => ref.release());
  w.ranks[0]!.refs.onRelease(ref.id, held.box.weight);
  t.equal(w.ranks[0]!.refs.live, 0);
  const stale = new Ref<number>(0, ref.id, 1);
  const far = w.act(1, () => stale.get());
  w.settle();
  await t.rejects(far, { code: 'ERR_REF_FREED' });
  await t.rejects(w.act(0, () => new Ref<number>(0, ref.id, 1).get()), { code: 'ERR_REF_FREED' });
});
