// Main spawning millions of tasks in one loop: the runtime's own memory stays
// bounded. Rank 0 then costs what the caller's N promises cost in plain Node
// (measured in the same run); the other ranks do not grow with N at all.
// TASKLOAF_FLOOD_TASKS sets N (the documented long run uses 10M).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root, runRanks } from './helpers/ranks.js';

const N = Number(process.env.TASKLOAF_FLOOD_TASKS ?? 1_000_000);
const MiB = 2 ** 20;

function promisesAlone(n: number): number {
  const r = spawnSync(process.execPath, [join(root, 'test', 'scripts', 'promises.mjs'), String(n)], { encoding: 'utf8' });
  return JSON.parse(r.stdout).peak as number;
}

for (const how of ['anywhere', 'placed'] as const) {
  t.test(`${N} tasks spawned ${how} in one loop`, async (t) => {
    const small = runRanks('flood.ts', 2, { args: [String(N / 4), how], timeoutMs: 600_000 });
    const big = runRanks('flood.ts', 2, { args: [String(N), how], timeoutMs: 600_000 });
    t.equal(big.code, 0, big.stderr);
    const [r] = big.records;
    t.equal(r?.done, N, 'every result came back');
    const peaks = r!.peaks as number[];
    const smallPeaks = small.records[0]!.peaks as number[];
    const alone = promisesAlone(N);
    const aloneSmall = promisesAlone(N / 4);
    const grew = peaks[0]! - smallPeaks[0]!;
    const aloneGrew = alone - aloneSmall;
    t.comment(
      `rank 0: ${Math.round(smallPeaks[0]! / MiB)} → ${Math.round(peaks[0]! / MiB)} MiB from N/4 to N tasks; ` +
        `the caller's promises alone: ${Math.round(aloneSmall / MiB)} → ${Math.round(alone / MiB)} MiB; ` +
        `rank 1: ${Math.round(smallPeaks[1]! / MiB)} → ${Math.round(peaks[1]! / MiB)} MiB`,
    );
    // Without backpressure every queued task and pending future came on top
    // of the promises (rank 0 grew 1.7× as fast as they did) and rank 1 grew
    // with N as well. Peak resident memory varies by tens of MiB from run to
    // run (under AddressSanitizer, rank 0's growth beyond 1.3× the promises'
    // ranged from -6 to +107 MiB): the allowance is 64 MiB, well below what
    // growing 1.7× as fast adds on top of 1.3× (0.4× the promises' growth,
    // about 120 MiB at N = 1M).
    t.ok(grew < aloneGrew * 1.3 + 64 * MiB, "rank 0 grows no faster than the caller's own promises");
    t.ok(peaks[1]! < smallPeaks[1]! * 1.5 + 32 * MiB, 'rank 1 does not grow with N');
  });
}

t.test('results that cannot come while the loop runs do not stall it', async (t) => {
  // 100k calls whose results need rank 0's event loop: the spawner waits for
  // them once (a second at most), then stops waiting and goes on.
  const r = runRanks('flood.ts', 2, { args: ['100000', 'roundabout'], timeoutMs: 300_000 });
  t.equal(r.code, 0, r.stderr);
  t.equal(r.records[0]?.done, 100_000, 'every result came back once the loop ended');
});
