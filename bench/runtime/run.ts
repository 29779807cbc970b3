// Runtime benchmarks, each next to its reference in the same run:
//   no-op remote task round trip   vs C MPI ping-pong round trip (8 bytes)
//   tiny-task throughput, 2 ranks  vs piscina on 2 threads
//   fib with stealing on 2 ranks   vs 1 rank (parallel efficiency)
//   resident memory per rank       vs a bare node process
//   event-loop lag                 a 1 ms timer on rank 0 while 1M tasks go to rank 1
//   idle cost                      CPU share of an idle rank, per progress mode
// Writes bench/results/runtime.json and the runtime section of bench/README.md.
// Usage: node --import tsx bench/runtime/run.ts [--quick] [--rounds N] [--no-write]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildDir, packageRoot } from '../../src/native/addon.js';
import { findLauncher, localCommand } from '../../src/launch/mpiexec.js';
import { machine, median } from '../lib/machine.js';
import { benchOptions, publish } from '../lib/report.js';

const opts = benchOptions();
const { quick, rounds } = opts;
const cli = join(packageRoot, 'dist', 'cli', 'main.js');
const tasks = join(packageRoot, 'bench', 'runtime', 'tasks.ts');

function json(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Record<string, number>[] {
  const r = spawnSync(command, args, { env, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}
const taskloaf = (np: number, mode: string, arg: number, env: NodeJS.ProcessEnv = {}) =>
  json(process.execPath, [cli, 'run', '-n', String(np), tasks, mode, String(arg)], { ...process.env, ...env })[0]!;

const cBinary = join(buildDir(), 'bench_pingpong');
if (!existsSync(cBinary)) throw new Error(`${cBinary} is missing: run npm install`);
const launcher = findLauncher();
const cPingPong = () => {
  const cmd = localCommand(launcher, { np: 2, oversubscribe: false, bind: 'core', tcp: false, program: [cBinary, quick ? '0.1' : '1', '8'] }, process.env);
  return json(cmd.command, cmd.args, cmd.env)[0]!;
};

const N = { roundtrip: quick ? 2000 : 50_000, throughput: quick ? 50_000 : 1_000_000, fib: quick ? 30 : 35, lag: quick ? 50_000 : 1_000_000 };
const runs: Record<string, number[]> = {};
const add = (k: string, v: number) => (runs[k] ??= []).push(v);
for (let r = 0; r < rounds; r++) {
  add('cRoundTripUs', 2 * cPingPong().halfRoundTripUs!);
  add('taskRoundTripUs', taskloaf(2, 'roundtrip', N.roundtrip).us!);
  add('taskloafPerSecond', taskloaf(2, 'throughput', N.throughput).perSecond!);
  add('piscinaPerSecond', json(process.execPath, ['--import', 'tsx', join(packageRoot, 'bench', 'runtime', 'piscina.ts'), String(N.throughput / 5), '2'])[0]!.perSecond!);
  add('fib1Seconds', taskloaf(1, 'fib', N.fib).seconds!);
  add('fib2Seconds', taskloaf(2, 'fib', N.fib).seconds!);
  add('rankRss', taskloaf(2, 'memory', 0).rss!);
  add('rankRssJs', json(process.execPath, [cli, 'run', '-n', '2', join(packageRoot, 'bench', 'runtime', 'memory.mjs')])[0]!.rss!);
  const lag = taskloaf(2, 'lag', N.lag);
  add('lagP50Ms', lag.p50!);
  add('lagP99Ms', lag.p99!);
  add('lagMaxMs', lag.max!);
  add('lagPlacedPerSecond', N.lag / lag.seconds!);
  for (const mode of ['auto', 'yield', 'spin']) add(`idleCpu_${mode}`, taskloaf(2, 'idle', quick ? 200 : 1000, { TASKLOAF_PROGRESS: mode }).cpuShare!);
  add('nodeRss', json(process.execPath, ['-e', 'console.log(JSON.stringify({ rss: process.memoryUsage().rss }))'])[0]!.rss!);
  process.stderr.write(`round ${r + 1}/${rounds} done\n`);
}
const md = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, median(v)])) as Record<string, number>;
const m = machine();
const efficiency = md.fib1Seconds! / (2 * md.fib2Seconds!);
const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
const met = (ok: boolean) => (ok ? 'met' : 'not met');
const rtRatio = md.taskRoundTripUs! / md.cRoundTripUs!;
const table = [
  `Measured ${m.date.slice(0, 10)} on ${m.cpuModel}, ${m.cores} cores, ${m.mpi}; median of ${rounds} run(s)${quick ? ' (quick mode)' : ''}; default progress mode (auto).`,
  '',
  '| what | taskloaf | reference | ratio | goal |',
  '|---|---:|---:|---:|---|',
  `| no-op task on rank 1, awaited on rank 0 (round trip) | ${md.taskRoundTripUs!.toFixed(1)} µs | C MPI ping-pong round trip, 8 B: ${md.cRoundTripUs!.toFixed(2)} µs | ${rtRatio.toFixed(0)}× | ≤ 5 µs and ≤ 10×: ${met(md.taskRoundTripUs! <= 5 && rtRatio <= 10)} |`,
  `| tiny tasks spawned and awaited, 2 ranks | ${(md.taskloafPerSecond! / 1e3).toFixed(0)} k/s | piscina, 2 threads: ${(md.piscinaPerSecond! / 1e3).toFixed(0)} k/s | ${(md.taskloafPerSecond! / md.piscinaPerSecond!).toFixed(1)}× | ≥ 500 k/s and ≥ 5× piscina: ${met(md.taskloafPerSecond! >= 5e5 && md.taskloafPerSecond! / md.piscinaPerSecond! >= 5)} |`,
  `| fib(${N.fib}) with stealing, 2 ranks | ${md.fib2Seconds!.toFixed(3)} s | 1 rank: ${md.fib1Seconds!.toFixed(3)} s | ${(efficiency * 100).toFixed(0)}% efficiency | ≥ 90%: ${met(efficiency >= 0.9)} |`,
  `| a 1 ms timer on rank 0 while ${N.lag / 1e6}M tasks go to rank 1 (${(md.lagPlacedPerSecond! / 1e3).toFixed(0)} k/s) | late by ${md.lagP50Ms!.toFixed(1)} ms (median), ${md.lagP99Ms!.toFixed(1)} ms (p99), ${md.lagMaxMs!.toFixed(1)} ms (max) | — | — | timers keep running: see test/runtime-timers |`,
  `| CPU share of an idle rank, by TASKLOAF_PROGRESS | auto ${(md.idleCpu_auto! * 100).toFixed(0)}%, yield ${(md.idleCpu_yield! * 100).toFixed(0)}%, spin ${(md.idleCpu_spin! * 100).toFixed(0)}% | — | — | an idle rank leaves its core (auto, yield) |`,
  `| resident memory of a rank running a JavaScript program (runtime up, arena untouched) | ${mib(md.rankRssJs!)} | bare node: ${mib(md.nodeRss!)} | +${mib(md.rankRssJs! - md.nodeRss!)} | ≤ +64 MiB: ${met(md.rankRssJs! - md.nodeRss! <= 64 * 2 ** 20)} |`,
  `| the same, a TypeScript program (tsx loads it) | ${mib(md.rankRss!)} | bare node: ${mib(md.nodeRss!)} | +${mib(md.rankRss! - md.nodeRss!)} | (the loader's share: +${mib(md.rankRss! - md.rankRssJs!)}) |`,
].join('\n');
publish('runtime', opts, m, { n: N, medians: md, runs }, table);
