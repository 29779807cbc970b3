// The stealing policy, without MPI: whom an idle rank asks, how often, what a
// victim gives, and how a thief that found nothing is fed later.
import t from 'tap';
import { Stealing, MAX_STEAL_DELAY_MS } from '../src/runtime/stealing.js';
import { TaskQueues, type Job } from '../src/runtime/queues.js';
import { Kind } from '../src/runtime/messages.js';
import { FakeNetwork } from './helpers/fake-link.js';
import { fakeRank, seeded } from './helpers/rank-parts.js';

const job = (n: number): Job => ({ name: `t${n}`, args: [n], replyTo: 0, future: n });

function setup(size: number, rank: number, opts: { enabled?: boolean; random?: () => number; now?: () => number } = {}) {
  const net = new FakeNetwork(size);
  const me = fakeRank(net, rank);
  for (let r = 0; r < size; r++) if (r !== rank) fakeRank(net, r);
  const queues = new TaskQueues();
  const s = new Stealing(me.ctx, queues, { enabled: opts.enabled ?? true, random: opts.random ?? seeded(1), now: opts.now ?? (() => 0) });
  const sent = () => {
    me.ctx.out.flush();
    return net.log.filter((l) => l.from === rank).map((l) => ({ to: l.to, kind: l.row.kind, aux: l.row.aux, name: l.row.name }));
  };
  return { net, me, queues, s, sent };
}

t.test('an idle rank asks one other rank at a time, never itself', async (t) => {
  const victims = new Set<number>();
  for (let seed = 0; seed < 200; seed++) {
    const { s, sent } = setup(4, 2, { random: seeded(seed) });
    s.ask();
    s.ask(); // one request out at a time
    const out = sent();
    if (out.length !== 1 || out[0]!.kind !== Kind.Steal) t.fail(`seed ${seed}: sent ${JSON.stringify(out)}`);
    victims.add(out[0]!.to);
  }
  t.same([...victims].sort(), [0, 1, 3]);
});

t.test('a victim gives the older half and keeps at least one', async (t) => {
  const { s, queues, sent, me } = setup(2, 0);
  for (let i = 1; i <= 5; i++) queues.stealable.push(job(i));
  s.onRequest(1);
  const out = sent();
  t.same(out.map((o) => o.name), ['t1', 't2', ''], 'the two oldest calls, then the reply');
  t.same(out.map((o) => o.kind), [Kind.Call, Kind.Call, Kind.StealReply]);
  t.equal(out[2]!.aux, 2, 'the reply says how many came');
  t.equal(queues.stealable.length, 3);
  t.equal(me.ctx.counters.stolenOut, 2);
  const lone = setup(2, 0);
  lone.queues.stealable.push(job(9));
  lone.s.onRequest(1);
  t.same(lone.sent().map((o) => [o.kind, o.aux]), [[Kind.StealReply, 0]], 'a lone task stays');
  t.equal(lone.queues.stealable.length, 1);
});

t.test('a thief that found nothing is fed as soon as there are two tasks', async (t) => {
  const { s, queues, sent } = setup(3, 0);
  s.onRequest(2);
  t.equal(s.canFeed, false);
  queues.stealable.push(job(1));
  t.equal(s.canFeed, false, 'one task is kept');
  queues.stealable.push(job(2));
  t.equal(s.canFeed, true);
  s.feedHungry();
  t.equal(s.canFeed, false, 'fed once');
  for (let i = 3; i <= 6; i++) queues.stealable.push(job(i));
  t.equal(s.canFeed, false, 'a fed thief is no longer waiting');
  const calls = sent().filter((o) => o.kind === Kind.Call);
  t.same(calls.map((o) => [o.to, o.name, o.aux]), [[2, 't1', 1]], 'the oldest, marked stolen');
});

t.test('empty answers back off, doubling to a cap; a full one resets it', async (t) => {
  let now = 0;
  const { s, sent } = setup(2, 1, { random: () => 0.5, now: () => now });
  const delays: number[] = [];
  for (let i = 0; i < 12; i++) {
    t.equal(s.due(now), true);
    s.ask();
    t.equal(s.due(now), false, 'not while a request is out');
    s.onReply(0);
    delays.push(s.backoff);
    t.equal(s.due(now), false, 'not before the back-off has passed');
    now += s.backoff; // jitter 0.5 + 0.5: exactly the back-off
  }
  t.equal(delays[0], 0.02);
  t.equal(delays[1], 0.04);
  t.ok(delays.every((d, i) => i === 0 || d >= delays[i - 1]!));
  t.equal(delays.at(-1), MAX_STEAL_DELAY_MS);
  s.ask();
  s.onReply(3);
  t.equal(s.backoff, 0);
  t.equal(s.due(now), true);
  t.equal(sent().filter((o) => o.kind === Kind.Steal).length, 13);
});

t.test('off, alone or stopped: nobody asks and nothing is given', async (t) => {
  const off = setup(4, 0, { enabled: false });
  off.s.ask();
  t.equal(off.s.due(0), false);
  t.same(off.sent(), []);
  const alone = setup(1, 0);
  alone.s.ask();
  t.same(alone.sent(), []);
  const stopped = setup(2, 0);
  stopped.me.ctx.stopped = true;
  stopped.queues.stealable.push(job(1));
  stopped.queues.stealable.push(job(2));
  stopped.s.onRequest(1);
  t.equal(stopped.s.due(0), false);
  t.equal(stopped.s.canFeed, false);
  t.same(stopped.sent(), []);
});

t.test('a task whose arguments cannot travel stays here, fixed', async (t) => {
  const { s, queues, me, net } = setup(2, 0);
  queues.stealable.push(job(1));
  queues.stealable.push(job(2));
  queues.stealable.push(job(3));
  queues.stealable.push(job(4));
  const link = net.links[0]!;
  const send = link.send.bind(link);
  link.send = (dest, kind, rank, id, aux, name, ...rest) => {
    if (name === 't1') throw new Error('cannot travel');
    send(dest, kind, rank, id, aux, name, ...rest);
  };
  s.onRequest(1);
  t.equal(me.ctx.counters.stolenOut, 1);
  t.same(queues.fixed.drain().map((j) => j.name), ['t1']);
  t.same(queues.stealable.drain().map((j) => j.name), ['t3', 't4']);
});
