// The arena under pressure: values bigger than a rank's whole arena, several
// in flight, on one node and across simulated nodes — each arrives whole and
// the job goes on; asking an arena directly for more than it may hold is an
// ArenaFullError with the sizes.
import t from 'tap';
import { runRanks } from './helpers/ranks.js';

const env = { TASKLOAF_ARENA_SEGMENT: '4M', TASKLOAF_ARENA_LIMIT: '16M' };
const cases = [
  { name: 'one node', np: 2, opts: {} },
  { name: 'two simulated nodes over TCP', np: 2, opts: { tcp: true, simulateNodes: 2 } },
];

for (const c of cases) {
  t.test(`values larger than the arena, ${c.name}`, async (t) => {
    const r = runRanks('arena-full.ts', c.np, { ...c.opts, env, timeoutMs: 180_000 });
    t.equal(r.code, 0, r.stderr);
    t.equal(r.records.length, 1, 'rank 0 reported');
    const rec = r.records[0]!;
    const results = rec.results as { n: number; sums: number[]; made: unknown[] }[];
    t.strictSame(results.map((x) => x.n), [1 << 16, 1 << 20, 4 << 20], 'every size was sent and made');
    if (c.name === 'one node') {
      // 3 × 512 KiB fit in a 16 MiB arena and go by reference; 3 × 32 MiB cannot and go as bytes.
      for (const side of ['sent', 'returned'] as const) {
        const s = rec[side] as { byReference: number; byBytes: number };
        t.ok(s.byReference > 0, `${side}: some values went by reference through the arena (${s.byReference})`);
        t.ok(s.byBytes > 0, `${side}: values larger than the arena went as bytes (${s.byBytes})`);
      }
    }
    for (const x of results) {
      t.same(x.sums, [1, 2, 3].map((v) => v * x.n), `${x.n * 8} B arrays sent whole`);
      t.same(x.made, [1, 2, 3], `${x.n * 8} B arrays returned whole`);
    }
    t.match(rec.full, { isFull: true, code: 'ERR_ARENA_FULL', requested: 8 << 20, limit: 4 << 20 });
  });
}
