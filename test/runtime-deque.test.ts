// The deque of stealable tasks: the owner takes the newest, thieves the
// oldest; it grows and wraps without losing or reordering anything.
import t from 'tap';
import { Deque } from '../src/runtime/deque.js';
import { TaskQueues, type Job } from '../src/runtime/queues.js';
import { seeded } from './helpers/rank-parts.js';

t.test('owner end is LIFO, thief end is FIFO', async (t) => {
  const d = new Deque<number>();
  for (let i = 1; i <= 5; i++) d.push(i);
  t.equal(d.length, 5);
  t.equal(d.pop(), 5);
  t.equal(d.shift(), 1);
  t.equal(d.pop(), 4);
  t.equal(d.shift(), 2);
  t.equal(d.length, 1);
  t.equal(d.pop(), 3);
  t.equal(d.pop(), undefined);
  t.equal(d.shift(), undefined);
  t.equal(d.length, 0);
});

t.test('drain gives everything oldest first and empties it', async (t) => {
  const d = new Deque<string>();
  for (const s of ['a', 'b', 'c']) d.push(s);
  d.shift();
  t.same(d.drain(), ['b', 'c']);
  t.equal(d.length, 0);
  d.push('z');
  t.same(d.drain(), ['z']);
});

t.test('matches an array model under random use, across growth', async (t) => {
  const rnd = seeded(7);
  const d = new Deque<number>();
  const model: number[] = [];
  let next = 0;
  const wrong: string[] = [];
  const check = (got: unknown, want: unknown, what: string) => {
    if (got !== want) wrong.push(`${what}: got ${String(got)}, want ${String(want)}`);
  };
  for (let step = 0; step < 20000; step++) {
    const r = rnd();
    if (r < 0.55) {
      d.push(next);
      model.push(next++);
    } else if (r < 0.8) {
      check(d.pop(), model.pop(), `pop at step ${step}`);
    } else if (r < 0.999) {
      check(d.shift(), model.shift(), `shift at step ${step}`);
    } else {
      check(JSON.stringify(d.drain()), JSON.stringify(model.splice(0)), `drain at step ${step}`);
    }
    check(d.length, model.length, `length at step ${step}`);
  }
  t.same(wrong.slice(0, 5), []);
  t.ok(next > 5000, 'the deque grew well past its first 64 slots');
  t.same(d.drain(), model);
});

t.test('a cleared slot holds no reference (collected tasks are not kept alive)', async (t) => {
  const d = new Deque<object>();
  d.push({});
  d.push({});
  d.pop();
  d.shift();
  const items = (d as unknown as { items: unknown[] }).items;
  t.ok(items.every((x) => x === undefined));
});

t.test('a rank runs its fixed jobs first, oldest first, then its newest stealable one', async (t) => {
  const q = new TaskQueues();
  const job = (name: string): Job => ({ name, args: [], replyTo: 0, future: 0 });
  q.stealable.push(job('s1'));
  q.stealable.push(job('s2'));
  q.fixed.push(job('f1'));
  q.fixed.push(job('f2'));
  q.stealable.push(job('s3'));
  t.equal(q.length, 5);
  const order: string[] = [];
  for (let j = q.next(); j; j = q.next()) order.push(j.name);
  t.same(order, ['f1', 'f2', 's3', 's2', 's1']);
  q.fixed.push(job('x'));
  q.stealable.push(job('y'));
  t.equal(q.drop(), 2);
  t.equal(q.length, 0);
});
