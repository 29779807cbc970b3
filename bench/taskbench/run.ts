// Task Bench: efficiency vs task granularity and METG(50%) for taskloaf, the
// C MPI version of the same graphs (the lower bound) and Dask distributed,
// width = ranks (one core each), patterns trivial, stencil_1d, fft and tree,
// the compute kernel's iteration count swept down. Same machine, same run.
// Writes bench/results/taskbench.json, taskbench-<pattern>.svg and the
// taskbench section of bench/README.md.
// Usage: node --import tsx bench/taskbench/run.ts [--quick] [--rounds N] [--no-write] [--width W] [--no-dask]
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/native/addon.js';
import { cProgram, jsonLines, python, taskloaf, type Row } from '../lib/launch.js';
import { machine, median } from '../lib/machine.js';
import { efficiency, metg, type Efficiency, type Metg } from '../lib/metg.js';
import { benchOptions, publish, type Goal } from '../lib/report.js';
import type { FigureInput } from '../lib/spread.js';
import { lineChart } from '../lib/svg.js';
import { ensurePythonPeers } from '../peers/setup.js';
import { PATTERNS } from './graph.js';

const opts = benchOptions();
const { quick, rounds } = opts;
const argv = process.argv.slice(2);
const widthAt = argv.indexOf('--width');
const width = widthAt >= 0 ? Number(argv[widthAt + 1]) : Math.max(2, Math.min(availableParallelism(), 64));
const withDask = !argv.includes('--no-dask');

// Iterations swept from coarse to fine, ×4 apart; Dask's Python kernel is ~15× slower an iteration.
const sweep = (hi: number, lo: number) => {
  const out: number[] = [];
  for (let n = hi; n >= lo; n = Math.floor(n / 4)) out.push(n);
  return out;
};
const fast = quick ? { iterations: [262144, 4096, 64, 1], target: 20, min: 5, max: 200 } : { iterations: sweep(4 ** 11, 1), target: 200, min: 10, max: 2000 };
const dask = quick ? { iterations: [65536, 64], target: 100, min: 4, max: 8 } : { iterations: sweep(4 ** 10, 16), target: 400, min: 8, max: 60 };
const args = (c: typeof fast) => [PATTERNS.join(','), c.iterations.join(','), String(c.target), String(c.min), String(c.max), '0'];

if (withDask) ensurePythonPeers();
const systems: Record<string, () => Row[]> = {
  'c-mpi': () => cProgram('taskbench', width, args(fast), width > availableParallelism()),
  taskloaf: () =>
    taskloaf(width, join(packageRoot, 'bench', 'taskbench', 'taskbench.ts'), ['--patterns', PATTERNS.join(','), '--iterations', fast.iterations.join(','), '--target-ms', String(fast.target), '--min-steps', String(fast.min), '--max-steps', String(fast.max), '--warm-ms', quick ? '300' : '3000'], {}, width > availableParallelism() ? ['--oversubscribe'] : []),
};
if (withDask) systems.dask = () => jsonLines(python, [join(packageRoot, 'bench', 'taskbench', 'taskbench_dask.py'), ...args(dask), String(width)]);

// (system, pattern, iterations) → efficiency of each run
const points = new Map<string, Efficiency[]>();
const calibration: Record<string, number[]> = {};
const raw: Row[] = [];
for (let r = 0; r < rounds; r++) {
  for (const [system, start] of Object.entries(systems)) {
    const rows = start();
    raw.push(...rows.map((row) => ({ ...row, round: r })));
    const cal = rows.find((row) => row.kind === 'calibration');
    if (!cal) throw new Error(`${system} printed no calibration`);
    const ns = cal.nsPerIteration as number;
    (calibration[system] ??= []).push(ns);
    for (const row of rows.filter((x) => x.pattern)) {
      const key = `${system}|${row.pattern}|${row.iterations}`;
      const list = points.get(key) ?? [];
      list.push(efficiency(row as unknown as { iterations: number; tasks: number; wallSeconds: number }, width, ns));
      points.set(key, list);
    }
  }
  process.stderr.write(`taskbench: round ${r + 1}/${rounds} done\n`);
}

interface Curve {
  iterations: number;
  granularityUs: number;
  efficiency: number;
}
const curves: Record<string, Record<string, Curve[]>> = {};
const metgs: Record<string, Record<string, Metg>> = {};
for (const [key, list] of points) {
  const [system, pattern, iterations] = key.split('|') as [string, string, string];
  ((curves[system] ??= {})[pattern] ??= []).push({
    iterations: Number(iterations),
    granularityUs: median(list.map((p) => p.granularityUs)),
    efficiency: median(list.map((p) => p.efficiency)),
  });
}
for (const [system, byPattern] of Object.entries(curves)) for (const [pattern, c] of Object.entries(byPattern)) (metgs[system] ??= {})[pattern] = metg(c);
// The same METG from each run's own curve: how much it moves from run to run.
const metgRuns = (system: string, pattern: string): number[] =>
  Array.from({ length: rounds }, (_, r) => {
    const curve = [...points.entries()].filter(([k]) => k.startsWith(`${system}|${pattern}|`)).map(([, list]) => list[r]!).filter(Boolean);
    return metg(curve).us ?? NaN;
  });

const us = (m: Metg | undefined) =>
  !m || m.us === undefined ? 'not reached' : `${m.kind === 'upper' ? '≤ ' : ''}${m.us < 1 ? m.us.toPrecision(2) : m.us < 10 ? m.us.toFixed(1) : m.us.toFixed(0)} µs`;
const ratio = (a: Metg | undefined, b: Metg | undefined) => (a?.us !== undefined && b?.us !== undefined ? `${(a.us / b.us).toFixed(1)}×` : '—');
const stencil = { t: metgs.taskloaf?.stencil_1d, c: metgs['c-mpi']?.stencil_1d };
const stencilRatio = stencil.t?.us !== undefined && stencil.c?.us !== undefined ? stencil.t.us / stencil.c.us : Infinity;
const goals: Goal[] = [
  { goal: 'Task Bench METG(50%), stencil_1d: taskloaf ≤ 3× C MPI', figure: `${us(stencil.t)} vs ${us(stencil.c)} (${ratio(stencil.t, stencil.c)})`, met: stencilRatio <= 3, figureKey: 'metg.ratio.stencil_1d' },
];
const figures: Record<string, FigureInput> = {};
for (const system of Object.keys(systems)) {
  for (const p of PATTERNS) {
    const runs = metgRuns(system, p);
    const reached = runs.filter(Number.isFinite);
    if (reached.length === 0) continue;
    const headline = p === 'stencil_1d' && system !== 'dask';
    figures[`metg.${system === 'c-mpi' ? 'c' : system}.${p}`] = {
      label: `METG(50%) ${p}, ${system === 'c-mpi' ? 'C MPI' : system === 'dask' ? 'Dask' : 'taskloaf'}, each run's own curve${reached.length < runs.length ? ` (reached in ${reached.length} of ${runs.length} runs)` : ''}`,
      unit: 'µs',
      better: 'lower',
      runs: reached,
      headline,
      goal: headline && system === 'taskloaf',
    };
  }
}
{
  const t = metgRuns('taskloaf', 'stencil_1d');
  const c = metgRuns('c-mpi', 'stencil_1d');
  const ratios = t.map((x, i) => x / c[i]!).filter(Number.isFinite);
  if (ratios.length) figures['metg.ratio.stencil_1d'] = { label: 'METG(50%) stencil_1d, taskloaf / C MPI, run by run', unit: '×', better: 'lower', runs: ratios, headline: true, goal: true };
  else delete goals[0]!.figureKey;
}

const m = machine();
const names: Record<string, string> = { 'c-mpi': 'C MPI', taskloaf: 'taskloaf', dask: 'Dask distributed' };
const peak = (system: string) => Math.max(...Object.values(curves[system] ?? {}).flat().map((c) => c.efficiency));
const table = [
  `Measured ${m.date.slice(0, 10)} on ${m.cpuModel}, ${m.cores} cores, ${m.mpi}, Node ${m.node}; width ${width} (one rank or worker per point); median of ${rounds} run(s)${quick ? ' (quick mode)' : ''}; taskloaf runs every pattern unmeasured for ${quick ? 0.3 : 3} s first (a new process's first seconds cost up to twice as much per step).`,
  `Kernel time per iteration on one core: C ${median(calibration['c-mpi']!).toFixed(2)} ns, taskloaf (JavaScript) ${median(calibration.taskloaf!).toFixed(2)} ns${withDask ? `, Dask (Python) ${median(calibration.dask!).toFixed(1)} ns` : ''}; each system's efficiency is against its own kernel (best measured: ${Object.keys(systems).map((s) => `${names[s]} ${(peak(s) * 100).toFixed(0)}%`).join(', ')}).`,
  '',
  `| pattern | C MPI METG | taskloaf METG | taskloaf / C |${withDask ? ' Dask METG | Dask / C |' : ''}`,
  `|---|---:|---:|---:|${withDask ? '---:|---:|' : ''}`,
  ...PATTERNS.map((p) => {
    const c = metgs['c-mpi']?.[p];
    const t = metgs.taskloaf?.[p];
    const d = metgs.dask?.[p];
    return `| ${p} | ${us(c)} | ${us(t)} | ${ratio(t, c)} |${withDask ? ` ${us(d)} | ${ratio(d, c)} |` : ''}`;
  }),
  '',
  ...goals.map((g) => `Goal: ${g.goal} — measured ${g.figure}: **${g.met ? 'met' : 'not met'}**.`),
  '',
  ...PATTERNS.map((p) => `![efficiency vs task granularity, ${p}](results/taskbench-${p}.svg)`),
].join('\n');

const charts: Record<string, string> = {};
for (const p of PATTERNS) {
  charts[`taskbench-${p}.svg`] = lineChart({
    title: `Task Bench ${p}, width ${width}: efficiency vs task granularity`,
    xLabel: 'task granularity (µs, wall time × cores / tasks)',
    yLabel: 'efficiency (%)',
    xLog: true,
    yMin: 0,
    yMax: 100,
    series: Object.keys(systems).map((s) => ({ name: `${names[s]} (METG ${us(metgs[s]?.[p])})`, points: (curves[s]?.[p] ?? []).map((c) => [c.granularityUs, c.efficiency * 100] as [number, number]) })),
    guides: [{ y: 50, label: '50%' }, ...Object.keys(systems).flatMap((s) => (metgs[s]?.[p]?.us === undefined ? [] : [{ x: metgs[s]![p]!.us!, label: names[s]! }]))],
  });
}
publish('taskbench', opts, m, { data: { width, sweep: { fast, dask }, calibration, curves, metgs, raw }, table, goals, charts, figures });
