// taskloaf next to its peers on the same two workloads, in one run:
//   no-op task round trip   taskloaf, C MPI ping-pong (8 B), piscina, Dask, mpi4py.futures
//   tiny-task throughput    the same systems but C (N no-op tasks spawned and
//                           awaited; fewer for the slow peers, reported per task)
// Two cores' worth of workers each: taskloaf 2 ranks, piscina 2 threads, Dask
// 2 single-threaded worker processes, mpi4py.futures 2 ranks (a manager and a
// worker), C 2 ranks. Writes bench/results/peers.json, peers-roundtrip.svg,
// peers-throughput.svg and the peers section of bench/README.md.
// Usage: node --import tsx bench/peers/run.ts [--quick] [--rounds N] [--no-write]
import { join } from 'node:path';
import { packageRoot } from '../../src/native/addon.js';
import { cProgram, jsonLines, mpiPython, python, taskloaf } from '../lib/launch.js';
import { machine, median } from '../lib/machine.js';
import { benchOptions, publish, type Goal } from '../lib/report.js';
import type { FigureInput } from '../lib/spread.js';
import { barChart } from '../lib/svg.js';
import { ensurePythonPeers } from './setup.js';

const opts = benchOptions();
const { quick, rounds } = opts;
const here = join(packageRoot, 'bench', 'peers');
const tasks = join(packageRoot, 'bench', 'runtime', 'tasks.ts');
// How many of each: round trips, then throughput tasks.
const N = quick
  ? { taskloaf: [2000, 50_000], piscina: [2000, 20_000], dask: [50, 500], mpi4py: [500, 2000], c: 0.1 }
  : { taskloaf: [50_000, 1_000_000], piscina: [20_000, 200_000], dask: [500, 5000], mpi4py: [5000, 20_000], c: 1 };

ensurePythonPeers();
const SYSTEMS = ['taskloaf', 'C MPI', 'piscina', 'Dask distributed', 'mpi4py.futures'] as const;
type System = (typeof SYSTEMS)[number];
const us: Partial<Record<System, number[]>> = {};
// The median 100-call batch of the same runs: what a round trip takes when the machine does not stall.
const typicalUs: Partial<Record<'taskloaf' | 'C MPI', number[]>> = {};
const perSecond: Partial<Record<System, number[]>> = {};
const add = (to: typeof us, s: System, v: unknown) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${s} reported ${String(v)}`);
  (to[s] ??= []).push(v);
};

for (let r = 0; r < rounds; r++) {
  const rt = taskloaf(2, tasks, ['roundtrip', String(N.taskloaf[0])])[0]!;
  add(us, 'taskloaf', rt.us);
  add(typicalUs, 'taskloaf', rt.usMedianBatch);
  add(perSecond, 'taskloaf', taskloaf(2, tasks, ['throughput', String(N.taskloaf[1])])[0]!.perSecond);
  const c = cProgram('pingpong', 2, [String(N.c), '8'])[0]!;
  add(us, 'C MPI', 2 * (c.halfRoundTripUs as number));
  add(typicalUs, 'C MPI', 2 * (c.medianBatchHalfRoundTripUs as number));
  const pool = jsonLines(process.execPath, ['--import', 'tsx', join(here, 'piscina.ts'), String(N.piscina[1]), '2'])[0]!;
  add(us, 'piscina', pool.us);
  add(perSecond, 'piscina', pool.perSecond);
  const dask = jsonLines(python, [join(here, 'dask_peer.py'), '2', String(N.dask[0]), String(N.dask[1])])[0]!;
  add(us, 'Dask distributed', dask.us);
  add(perSecond, 'Dask distributed', dask.perSecond);
  const futures = mpiPython(2, ['-m', 'mpi4py.futures', join(here, 'mpi4py_peer.py'), String(N.mpi4py[0]), String(N.mpi4py[1])])[0]!;
  add(us, 'mpi4py.futures', futures.us);
  add(perSecond, 'mpi4py.futures', futures.perSecond);
  process.stderr.write(`peers: round ${r + 1}/${rounds} done\n`);
}

const mus = Object.fromEntries(Object.entries(us).map(([k, v]) => [k, median(v)])) as Record<System, number>;
const mps = Object.fromEntries(Object.entries(perSecond).map(([k, v]) => [k, median(v)])) as Partial<Record<System, number>>;
const typ = { taskloaf: median(typicalUs.taskloaf!), c: median(typicalUs['C MPI']!) };
const t = { us: mus.taskloaf, ps: mps.taskloaf! };
// Ratios are taken round by round (both systems measured minutes apart at most), then their median.
const perRound = (a: number[], b: number[]) => a.map((x, i) => x / b[i]!);
const vsC = perRound(us.taskloaf!, us['C MPI']!);
const vsPiscina = perRound(perSecond.taskloaf!, perSecond.piscina!);
const vsDask = perRound(perSecond.taskloaf!, perSecond['Dask distributed']!);
const time = (u: number) => (u >= 1000 ? `${(u / 1000).toFixed(2)} ms` : `${u.toFixed(u < 10 ? 2 : 1)} µs`);
const rate = (r: number) => (r >= 1e6 ? `${(r / 1e6).toFixed(2)} M/s` : r >= 1e3 ? `${(r / 1e3).toFixed(r >= 1e4 ? 0 : 1)} k/s` : `${r.toFixed(0)} /s`);
const goals: Goal[] = [
  { goal: 'no-op round trip ≤ 5 µs and ≤ 10× C MPI', figure: `${time(t.us)}, ${median(vsC).toFixed(1)}× C (${time(mus['C MPI'])})`, met: t.us <= 5 && median(vsC) <= 10, figureKey: 'roundTrip.taskloaf' },
  { goal: 'tiny-task throughput ≥ 500k tasks/s on 2 ranks', figure: rate(t.ps), met: t.ps >= 5e5, figureKey: 'throughput.taskloaf' },
  { goal: 'throughput ≥ 5× piscina', figure: `${median(vsPiscina).toFixed(1)}×`, met: median(vsPiscina) >= 5, figureKey: 'throughput.vsPiscina' },
  { goal: 'throughput ≥ 100× Dask', figure: `${median(vsDask).toFixed(0)}×`, met: median(vsDask) >= 100, figureKey: 'throughput.vsDask' },
];
const KEY: Record<System, string> = { taskloaf: 'taskloaf', 'C MPI': 'c', piscina: 'piscina', 'Dask distributed': 'dask', 'mpi4py.futures': 'mpi4py' };
const key = (s: System) => KEY[s];
const figures: Record<string, FigureInput> = {
  ...Object.fromEntries(SYSTEMS.map((s) => [`roundTrip.${key(s)}`, { label: `${s}: no-op round trip (mean of a run)`, unit: 'µs', better: 'lower', runs: us[s]!, headline: s === 'taskloaf', goal: s === 'taskloaf' }])),
  'roundTrip.taskloafMedianBatch': { label: 'taskloaf: no-op round trip, median 100-call batch', unit: 'µs', better: 'lower', runs: typicalUs.taskloaf!, headline: true },
  'roundTrip.cMedianBatch': { label: 'C MPI: round trip, median batch', unit: 'µs', better: 'lower', runs: typicalUs['C MPI']! },
  'roundTrip.vsC': { label: 'taskloaf round trip / C MPI round trip (per run)', unit: '×', better: 'lower', runs: vsC, headline: true },
  ...Object.fromEntries(SYSTEMS.filter((s) => perSecond[s]).map((s) => [`throughput.${key(s)}`, { label: `${s}: tiny tasks per second`, unit: '/s', better: 'higher', runs: perSecond[s]!, headline: s === 'taskloaf', goal: s === 'taskloaf' }])),
  'throughput.vsPiscina': { label: 'taskloaf throughput / piscina (per run)', unit: '×', better: 'higher', runs: vsPiscina, goal: true },
  'throughput.vsDask': { label: 'taskloaf throughput / Dask (per run)', unit: '×', better: 'higher', runs: vsDask, goal: true },
};

const m = machine();
const counts = (s: System) => {
  const k = ({ taskloaf: 'taskloaf', piscina: 'piscina', 'Dask distributed': 'dask', 'mpi4py.futures': 'mpi4py' } as const)[s as Exclude<System, 'C MPI'>];
  return k ? N[k][1].toLocaleString('en-US') : '—';
};
const table = [
  `Measured ${m.date.slice(0, 10)} on ${m.cpuModel}, ${m.cores} cores, ${m.mpi}, Node ${m.node}; median of ${rounds} run(s)${quick ? ' (quick mode)' : ''}. Each system on two cores: taskloaf 2 ranks, C 2 ranks, piscina 2 threads, Dask a local cluster of 2 single-threaded worker processes, mpi4py.futures 2 ranks (a manager and one worker).`,
  '',
  '| system | no-op round trip | vs C MPI (per run) | tiny tasks (how many) | per task | taskloaf is (per run) |',
  '|---|---:|---:|---:|---:|---:|',
  ...SYSTEMS.map((s) => {
    const ps = mps[s];
    return `| ${s} | ${time(mus[s])} | ${(s === 'taskloaf' ? median(vsC) : mus[s] / mus['C MPI']).toFixed(1)}× | ${ps ? `${rate(ps)} (${counts(s)})` : '—'} | ${ps ? time(1e6 / ps) : '—'} | ${ps && s !== 'taskloaf' ? `${median(perRound(perSecond.taskloaf!, perSecond[s]!)).toFixed(ps < t.ps / 100 ? 0 : 1)}× faster` : '—'} |`;
  }),
  '',
  `Round trips are the mean over ${N.taskloaf[0].toLocaleString('en-US')} calls in a row (C: about ${N.c === 1 ? '100,000' : '10,000'}). This machine (a virtual machine) stalls now and then for a millisecond or more, which moves a mean: the median of the same runs' 100-call batches, which a stall does not move, is taskloaf ${time(typ.taskloaf)} and C MPI ${time(typ.c)} (${(typ.taskloaf / typ.c).toFixed(1)}×). The goal is judged on the mean.`,
  '',
  ...goals.map((g) => `Goal: ${g.goal} — measured ${g.figure}: **${g.met ? 'met' : 'not met'}**.`),
  '',
  '![no-op round trip per system](results/peers-roundtrip.svg)',
  '![tiny-task throughput per system](results/peers-throughput.svg)',
].join('\n');
const charts = {
  'peers-roundtrip.svg': barChart({ title: 'No-op task round trip (lower is better)', yLabel: 'µs (log scale)', yLog: true, bars: SYSTEMS.map((s) => ({ label: s, value: mus[s], note: time(mus[s]) })) }),
  'peers-throughput.svg': barChart({
    title: 'Tiny tasks per second on two cores (higher is better)',
    yLabel: 'tasks/s (log scale)',
    yLog: true,
    bars: SYSTEMS.filter((s) => mps[s]).map((s) => ({ label: s, value: mps[s]!, note: rate(mps[s]!) })),
  }),
};
publish('peers', opts, m, { data: { n: N, medians: { us: mus, perSecond: mps, typicalUs: typ }, runs: { us, perSecond, typicalUs } }, table, goals, charts, figures });
