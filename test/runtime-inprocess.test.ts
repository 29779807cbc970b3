// Whole runtimes, several ranks in one process over in-memory links: tasks
// spawned on rank 0 are stolen and run elsewhere, results come back to their
// futures, placed tasks run where placed, and shutdown drains every rank.
import t from 'tap';
import { Runtime } from '../src/runtime/runtime.js';
import { register } from '../src/runtime/registry.js';
import { Kind } from '../src/runtime/messages.js';
import { FakeNetwork } from './helpers/fake-link.js';
import { seeded } from './helpers/rank-parts.js';

const ranOn: number[] = [];
let current = -1;
register('inproc-square', (n: number) => {
  const end = performance.now() + 0.2; // long enough that idle ranks get to steal
  while (performance.now() < end);
  ranOn.push(current);
  return n * n;
});
register('inproc-where', () => current);
register('inproc-fail', () => {
  throw new RangeError('no good');
});

function job(size: number) {
  const net = new FakeNetwork(size);
  const rts = Array.from({ length: size }, (_, r) => {
    const link = net.connect(r);
    return new Runtime({
      connect: (onRow) => {
        // The rank whose row is being handled is the rank a task runs on.
        return link((row, source) => {
          current = r;
          onRow(row, source);
        });
      },
      host: `h${r}`,
      progress: 'yield',
      sharedCores: () => true,
      steal: true,
      random: seeded(r + 1),
    });
  });
  // A turn of rank r runs rank r's tasks.
  for (const [r, rt] of rts.entries()) {
    const turnOf = rt.progress as unknown as { turn: (p: boolean, n: number) => boolean };
    const turn = turnOf.turn;
    Object.defineProperty(turnOf, 'turn', { value: (p: boolean, n: number) => ((current = r), turn(p, n)) });
  }
  return { net, rts };
}

for (const size of [1, 2, 4]) {
  t.test(`${size} in-process rank(s): spawn, steal, place, fail, shut down`, async (t) => {
    ranOn.length = 0;
    const { net, rts } = job(size);
    const served = rts.slice(1).map((rt) => rt.served());
    const main = rts[0]!;
    main.progress.start();
    current = 0;
    const squares = await Promise.all(Array.from({ length: 300 }, (_, i) => main.spawn('inproc-square', [i])));
    t.same(squares, Array.from({ length: 300 }, (_, i) => i * i));
    const where = await Promise.all(rts.map((_, r) => main.spawn('inproc-where', [], r)));
    t.same(where, rts.map((_, r) => r), 'a placed task runs on its rank');
    await t.rejects(main.spawn('inproc-fail', [], size - 1), { code: 'ERR_REMOTE_TASK', rank: size - 1, host: `h${size - 1}`, cause: { name: 'RangeError' } });
    const total = rts.reduce((n, rt) => n + rt.counters.executed, 0);
    t.equal(total, 300 + size + 1, 'every task ran once');
    if (size > 1) {
      t.ok(rts.slice(1).some((rt) => rt.counters.stolenIn > 0), 'idle ranks stole');
      t.equal(rts.reduce((n, rt) => n + rt.counters.stolenIn, 0), main.counters.stolenOut, 'every stolen task arrived');
      t.ok(new Set(ranOn).size > 1, 'work ran on more than one rank');
    }
    await main.shutdownAll();
    await Promise.all(served);
    for (const rt of rts) await rt.finish();
    t.ok(rts.every((rt) => rt.stopped));
    t.equal(net.inFlight, 0);
    t.equal(main.pendingFutures, 0);
    t.equal(net.log.filter((l) => l.row.kind === Kind.Drained).length, size - 1);
    t.equal(net.log.filter((l) => l.row.kind === Kind.Exit).length, size - 1);
    t.same(rts.map((rt) => rt.counters.unknownMessages), rts.map(() => 0));
  });
}

t.test('a row of an unknown kind is refused by a whole runtime, which goes on', async (t) => {
  const { net, rts } = job(2);
  const reports: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((s: string) => (reports.push(String(s)), true)) as typeof process.stderr.write;
  try {
    const served = rts[1]!.served();
    rts[0]!.progress.start();
    net.links[0]!.send(1, 200, 0, 0, 0, '');
    net.links[0]!.flushAll();
    current = 0;
    t.equal(await rts[0]!.spawn('inproc-where', [], 1), 1, 'rank 1 still serves');
    await rts[0]!.shutdownAll();
    await served;
    for (const rt of rts) await rt.finish();
  } finally {
    process.stderr.write = write;
  }
  t.equal(rts[1]!.counters.unknownMessages, 1);
  t.match(reports.join(''), /taskloaf: rank 1: rank 0 sent a message of kind 200.*\[ERR_UNKNOWN_MESSAGE\]/);
});
