// 100k mixed small and large messages per pair arrive in send order.
import t from 'tap';
import { runRanks } from './helpers/ranks.js';

const runs: [string, number, { tcp?: boolean; simulateNodes?: number }, number][] = [
  ['one node', 2, {}, 100_000],
  ['2 simulated nodes over TCP', 2, { tcp: true, simulateNodes: 2 }, 100_000],
  ['4 ranks (oversubscribed), 2 simulated nodes', 4, { simulateNodes: 2 }, 30_000],
];
for (const [what, np, opts, count] of runs) {
  t.test(`${count} messages per pair arrive in order: ${np} ranks, ${what}`, async (t) => {
    const run = runRanks('wire-order.ts', np, { ...opts, args: [String(count)] });
    t.equal(run.code, 0, run.stderr);
    t.equal(run.records.length, np);
    for (const r of run.records) {
      t.same(r.failures, [], `rank ${r.rank}: in order, contents intact`);
      t.equal(r.received, count * (np - 1), `rank ${r.rank}: every message arrived`);
      t.equal(r.large, (count / 50) * (np - 1), `rank ${r.rank}: every large payload arrived`);
      t.ok((r.frames as number) < (r.received as number) / 50, `rank ${r.rank}: messages were batched (${r.frames} frames)`);
    }
  });
}
