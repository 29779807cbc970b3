// Runtime benchmarks: what a rank costs while it waits and while it works.
//   resident memory per rank       vs a bare node process
//   event-loop lag                 a 1 ms timer on rank 0 while 1M tasks go to rank 1
//   idle cost                      CPU share of an idle rank, per progress mode
// (Round trip and throughput next to the peers: bench/peers; fib and UTS: bench/stealing.)
// Writes bench/results/runtime.json and the runtime section of bench/README.md.
// Usage: node --import tsx bench/runtime/run.ts [--quick] [--rounds N] [--no-write]
import { join } from 'node:path';
import { packageRoot } from '../../src/native/addon.js';
import { jsonLines, taskloaf } from '../lib/launch.js';
import { machine, median } from '../lib/machine.js';
import { benchOptions, publish, type Goal } from '../lib/report.js';
import type { FigureInput } from '../lib/spread.js';

const opts = benchOptions();
const { quick, rounds } = opts;
const tasks = join(packageRoot, 'bench', 'runtime', 'tasks.ts');
const one = (mode: string, arg: number, env: NodeJS.ProcessEnv = {}) => taskloaf(2, tasks, [mode, String(arg)], env)[0]! as Record<string, number>;

const N = { lag: quick ? 50_000 : 1_000_000 };
const runs: Record<string, number[]> = {};
const add = (k: string, v: number) => (runs[k] ??= []).push(v);
for (let r = 0; r < rounds; r++) {
  add('rankRss', one('memory', 0).rss!);
  add('rankRssJs', (taskloaf(2, join(packageRoot, 'bench', 'runtime', 'memory.mjs'))[0]! as Record<string, number>).rss!);
  const lag = one('lag', N.lag);
  add('lagP50Ms', lag.p50!);
  add('lagP99Ms', lag.p99!);
  add('lagMaxMs', lag.max!);
  add('lagPlacedPerSecond', N.lag / lag.seconds!);
  for (const mode of ['auto', 'yield', 'spin']) add(`idleCpu_${mode}`, one('idle', quick ? 200 : 1000, { TASKLOAF_PROGRESS: mode }).cpuShare!);
  add('nodeRss', (jsonLines(process.execPath, ['-e', 'console.log(JSON.stringify({ rss: process.memoryUsage().rss }))'])[0]! as Record<string, number>).rss!);
  process.stderr.write(`runtime: round ${r + 1}/${rounds} done\n`);
}
const md = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)])) as Record<string, number>;
const m = machine();
const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const above = (k: string) => runs[k]!.map((x, r) => x - runs.nodeRss![r]!);
const goals: Goal[] = [{ goal: 'resident memory of a rank ≤ 64 MiB above bare node', figure: `+${mib(median(above('rankRssJs')))} (JavaScript program)`, met: median(above('rankRssJs')) <= 64 * 2 ** 20, figureKey: 'rss.aboveNodeJs' }];
const figures: Record<string, FigureInput> = {
  'rss.aboveNodeJs': { label: 'resident memory of a rank (JavaScript program) above bare node, run by run', unit: 'MiB', better: 'lower', runs: above('rankRssJs'), headline: true, goal: true },
  'rss.aboveNodeTs': { label: 'the same, a TypeScript program', unit: 'MiB', better: 'lower', runs: above('rankRss') },
  'rss.node': { label: 'bare node', unit: 'MiB', better: 'lower', runs: runs.nodeRss! },
  'lag.p50': { label: 'timer lateness under load, median', unit: 'ms', better: 'lower', runs: runs.lagP50Ms! },
  'lag.p99': { label: 'timer lateness under load, p99', unit: 'ms', better: 'lower', runs: runs.lagP99Ms! },
  'lag.max': { label: 'timer lateness under load, max', unit: 'ms', better: 'lower', runs: runs.lagMaxMs! },
  'lag.placedPerSecond': { label: 'tasks placed on rank 1 per second during the timer run', unit: '/s', better: 'higher', runs: runs.lagPlacedPerSecond! },
  ...Object.fromEntries(['auto', 'yield', 'spin'].map((mode) => [`idleCpu.${mode}`, { label: `CPU share of an idle rank, ${mode}`, unit: '%', better: 'lower', runs: runs[`idleCpu_${mode}`]! } satisfies FigureInput])),
};
const table = [
  `Measured ${m.date.slice(0, 10)} on ${m.cpuModel}, ${m.cores} cores, ${m.mpi}; median of ${rounds} run(s)${quick ? ' (quick mode)' : ''}; default progress mode (auto).`,
  '',
  '| what | taskloaf | reference | ratio | goal |',
  '|---|---:|---:|---:|---|',
  `| a 1 ms timer on rank 0 while ${N.lag / 1e6}M tasks go to rank 1 (${(md.lagPlacedPerSecond! / 1e3).toFixed(0)} k/s) | late by ${md.lagP50Ms!.toFixed(1)} ms (median), ${md.lagP99Ms!.toFixed(1)} ms (p99), ${md.lagMaxMs!.toFixed(1)} ms (max) | — | — | timers keep running: see test/runtime-timers |`,
  `| CPU share of an idle rank, by TASKLOAF_PROGRESS | auto ${(md.idleCpu_auto! * 100).toFixed(0)}%, yield ${(md.idleCpu_yield! * 100).toFixed(0)}%, spin ${(md.idleCpu_spin! * 100).toFixed(0)}% | — | — | an idle rank leaves its core (auto, yield) |`,
  `| resident memory of a rank running a JavaScript program (runtime up, arena untouched) | ${mib(md.rankRssJs!)} | bare node: ${mib(md.nodeRss!)} | +${mib(md.rankRssJs! - md.nodeRss!)} | ≤ +64 MiB: ${goals[0]!.met ? 'met' : 'not met'} |`,
  `| the same, a TypeScript program (tsx loads it) | ${mib(md.rankRss!)} | bare node: ${mib(md.nodeRss!)} | +${mib(md.rankRss! - md.nodeRss!)} | (the loader's share: +${mib(md.rankRss! - md.rankRssJs!)}) |`,
].join('\n');
publish('runtime', opts, m, { data: { n: N, medians: md, runs }, table, goals, figures });
