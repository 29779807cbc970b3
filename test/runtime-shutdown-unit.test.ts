// Shutdown without MPI: a stopped rank drops what is queued (counted),
// closes its link, reports Drained once when its sends are done, and rank 0
// waits for every rank's report before letting all exit.
import t from 'tap';
import { Shutdown } from '../src/runtime/shutdown.js';
import { TaskQueues } from '../src/runtime/queues.js';
import { Kind } from '../src/runtime/messages.js';
import { FakeNetwork } from './helpers/fake-link.js';
import { fakeRank } from './helpers/rank-parts.js';

t.test('stop drops queued jobs once, counted, and closes the link', async (t) => {
  const net = new FakeNetwork(2);
  const me = fakeRank(net, 1);
  fakeRank(net, 0);
  const q = new TaskQueues();
  for (let i = 0; i < 3; i++) q.stealable.push({ name: 't', args: [], replyTo: 0, future: i });
  q.fixed.push({ name: 'f', args: [], replyTo: 0, future: 9 });
  const s = new Shutdown(me.ctx, q, me.link);
  s.stop();
  s.stop();
  t.equal(me.ctx.stopped, true);
  t.equal(me.ctx.counters.cancelled, 4);
  t.equal(q.length, 0);
  t.equal(me.link.closed, true);
  s.reportIfDrained();
  s.reportIfDrained();
  me.ctx.out.flush();
  t.same(net.log.map((l) => [l.to, l.row.kind]), [[0, Kind.Drained]], 'Drained once, to rank 0');
});

t.test('rank 0 waits for every rank to drain, then lets all exit', async (t) => {
  const net = new FakeNetwork(3);
  const ranks = [0, 1, 2].map((r) => fakeRank(net, r));
  const parts = ranks.map((r) => new Shutdown(r.ctx, new TaskQueues(), r.link));
  for (const [r, fr] of ranks.entries()) {
    (fr as unknown as { onRow: (row: { kind: number }) => void }).onRow = (row) => {
      if (row.kind === Kind.Shutdown) parts[r]!.stop();
      else if (row.kind === Kind.Drained) parts[r]!.onDrained();
      else if (row.kind === Kind.Exit) parts[r]!.onExitMessage();
    };
  }
  const exited = [parts[1]!.exited(), parts[2]!.exited()];
  let done = false;
  const all = parts[0]!.all().then(() => (done = true));
  // Ranks 1 and 2 take their turns: they receive the Shutdown, then report.
  for (let i = 0; i < 20 && !done; i++) {
    for (const r of [1, 2]) {
      ranks[r]!.link.poll();
      parts[r]!.reportIfDrained();
      ranks[r]!.ctx.out.flush();
    }
    await new Promise((res) => setImmediate(res));
  }
  await all;
  for (const r of [1, 2]) ranks[r]!.link.poll();
  await Promise.all(exited);
  t.ok(ranks.every((r) => r.ctx.stopped));
  const kinds = (to: number) => net.log.filter((l) => l.to === to).map((l) => l.row.kind);
  t.same(kinds(1), [Kind.Shutdown, Kind.Exit]);
  t.same(kinds(0), [Kind.Drained, Kind.Drained]);
  const exitAt = net.log.findIndex((l) => l.row.kind === Kind.Exit);
  t.ok(net.log.filter((l) => l.row.kind === Kind.Drained).every((l) => net.log.indexOf(l) < exitAt), 'Exit only after every Drained');
});
