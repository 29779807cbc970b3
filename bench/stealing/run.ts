// Work stealing: fib and an unbalanced tree search (UTS) on 1..cores ranks;
// speed-up and efficiency against one rank, in the same run. Writes
// bench/results/stealing.json, stealing-speedup.svg and the stealing section
// of bench/README.md.
// Usage: node --import tsx bench/stealing/run.ts [--quick] [--rounds N] [--no-write] [--ranks 1,2,4]
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/native/addon.js';
import { taskloaf } from '../lib/launch.js';
import { machine, median } from '../lib/machine.js';
import { benchOptions, publish, type Goal } from '../lib/report.js';
import type { FigureInput } from '../lib/spread.js';
import { lineChart } from '../lib/svg.js';

const opts = benchOptions();
const { quick, rounds } = opts;
const argv = process.argv.slice(2);
const ranksAt = argv.indexOf('--ranks');
const cores = availableParallelism();
const ranks = ranksAt >= 0 ? argv[ranksAt + 1]!.split(',').map(Number) : Array.from({ length: Math.min(cores, 64) }, (_, i) => i + 1).filter((n) => n === 1 || n === cores || (n & (n - 1)) === 0);
const program = join(packageRoot, 'bench', 'stealing', 'tasks.ts');
const WORK = { fib: quick ? 32 : 35, uts: quick ? 200 : 4000 };
const LABEL = { fib: `fib(${WORK.fib})`, uts: `UTS, binomial tree, ${WORK.uts} root children` };

const seconds: Record<string, number[]> = {};
const values = new Map<string, unknown>();
for (let r = 0; r < rounds; r++) {
  for (const n of ranks) {
    for (const mode of ['fib', 'uts'] as const) {
      const row = taskloaf(n, program, [mode, String(WORK[mode])], { TASKLOAF_BENCH_WARM_MS: quick ? '300' : '2000' }, n > cores ? ['--oversubscribe'] : [])[0]!;
      // The same answer at every size, or the speed-up means nothing.
      if (values.has(mode) && values.get(mode) !== row.value) throw new Error(`${mode} on ${n} ranks gave ${String(row.value)}, not ${String(values.get(mode))}`);
      values.set(mode, row.value);
      (seconds[`${mode}|${n}`] ??= []).push(row.seconds as number);
    }
  }
  process.stderr.write(`stealing: round ${r + 1}/${rounds} done\n`);
}

const med = (mode: string, n: number) => median(seconds[`${mode}|${n}`]!);
const speedup = (mode: string, n: number) => med(mode, 1) / med(mode, n);
const at2 = ranks.includes(2) ? 2 : ranks[ranks.length - 1]!;
const goals: Goal[] = (['fib', 'uts'] as const).map((mode) => ({
  goal: `${mode === 'fib' ? 'fib' : 'UTS'} with stealing: ≥ 90% efficiency on 2 cores`,
  figure: `${LABEL[mode]}: ${((speedup(mode, at2) / at2) * 100).toFixed(0)}% on ${at2} ranks (${med(mode, 1).toFixed(3)} s → ${med(mode, at2).toFixed(3)} s)`,
  met: speedup(mode, at2) / at2 >= 0.9,
  figureKey: `efficiency.${mode}.${at2}`,
}));
// Efficiency run by run: each run's one-rank time against the same run's n-rank time.
const figures: Record<string, FigureInput> = {};
for (const mode of ['fib', 'uts'] as const) {
  for (const n of ranks) {
    const ts = seconds[`${mode}|${n}`]!;
    figures[`seconds.${mode}.${n}`] = { label: `${LABEL[mode]} on ${n} rank(s), time`, unit: 's', better: 'lower', runs: ts };
    if (n === 1) continue;
    const one = seconds[`${mode}|1`];
    if (!one) continue;
    const judged = n === at2;
    figures[`efficiency.${mode}.${n}`] = { label: `${LABEL[mode]} on ${n} ranks, efficiency (run by run)`, unit: '%', better: 'higher', runs: ts.map((x, r) => one[r]! / x / n), headline: judged, goal: judged };
  }
}

const m = machine();
const table = [
  `Measured ${m.date.slice(0, 10)} on ${m.cpuModel}, ${m.cores} cores, ${m.mpi}, Node ${m.node}; median of ${rounds} run(s)${quick ? ' (quick mode)' : ''}. Every task is spawned anywhere (no placement); idle ranks steal. fib: calls above 25 are tasks. UTS: a binomial tree (q = 0.499, m = 2), ${values.get('uts')} nodes, a task gives half its frontier away every 512 nodes. Each run first does the same work, unmeasured, for ${quick ? 0.3 : 2} s (fib at the measured size: a process's first fib(35) on two ranks takes about a third longer than the next; UTS on a smaller tree).`,
  '',
  '| workload | ranks | time | speed-up | efficiency |',
  '|---|---:|---:|---:|---:|',
  ...(['fib', 'uts'] as const).flatMap((mode) => ranks.map((n) => `| ${LABEL[mode]} | ${n} | ${med(mode, n).toFixed(3)} s | ${speedup(mode, n).toFixed(2)}× | ${((speedup(mode, n) / n) * 100).toFixed(0)}% |`)),
  '',
  ...goals.map((g) => `Goal: ${g.goal} — measured ${g.figure}: **${g.met ? 'met' : 'not met'}**.`),
  '',
  '![speed-up vs ranks](results/stealing-speedup.svg)',
].join('\n');
const charts = {
  'stealing-speedup.svg': lineChart({
    title: 'Work stealing: speed-up over one rank',
    xLabel: 'ranks',
    yLabel: 'speed-up',
    xMin: 1,
    yMin: 0,
    series: [
      { name: 'ideal', points: ranks.map((n) => [n, n] as [number, number]), dashed: true },
      { name: LABEL.fib, points: ranks.map((n) => [n, speedup('fib', n)] as [number, number]) },
      { name: LABEL.uts, points: ranks.map((n) => [n, speedup('uts', n)] as [number, number]) },
    ],
  }),
};
publish('stealing', opts, m, { data: { ranks, work: WORK, values: Object.fromEntries(values), seconds }, table, goals, charts, figures });
