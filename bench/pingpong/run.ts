// Ping-pong: Node through the taskloaf addon next to C MPI, same launcher,
// same binding, alternating in one run. Writes bench/results/pingpong.json
// and the table in bench/README.md.
// Usage: node --import tsx bench/pingpong/run.ts [--quick] [--rounds N] [--no-write]
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findLauncher, localCommand } from '../../src/launch/mpiexec.js';
import { rankProgram } from '../../src/launch/run.js';
import { buildDir, packageRoot } from '../../src/native/addon.js';
import { measure } from '../lib/launch.js';
import { machine, median } from '../lib/machine.js';
import { benchOptions, publish, type Goal } from '../lib/report.js';
import type { FigureInput } from '../lib/spread.js';
import { lineChart } from '../lib/svg.js';

const opts = benchOptions();
const { quick, rounds } = opts;
const scale = quick ? 0.02 : 1;
const SIZES = [8, 64, 512, 4096, 32768, 262144, 1 << 20, 4 << 20, 16 << 20, 64 << 20];

interface Point {
  size: number;
  iters: number;
  halfRoundTripUs: number;
  bandwidthMBs: number;
}

const launcher = findLauncher();
function runPair(program: string[]): Point[] {
  const cmd = localCommand(launcher, { np: 2, oversubscribe: false, bind: 'core', tcp: false, program }, process.env);
  const r = measure(cmd.command, cmd.args, cmd.env, 600_000);
  if (r.status !== 0) throw new Error(`${program.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Point);
}

const cBinary = join(buildDir(), 'bench_pingpong');
if (!existsSync(cBinary)) throw new Error(`${cBinary} is missing: run npm run build:native`);
const sizes = SIZES.map(String);
const systems: Record<string, string[]> = {
  c: [cBinary, String(scale), ...sizes],
  'node-spin': rankProgram(join(packageRoot, 'bench', 'pingpong', 'pingpong.ts'), ['spin', String(scale), ...sizes]),
  'node-turn': rankProgram(join(packageRoot, 'bench', 'pingpong', 'pingpong.ts'), ['turn', String(scale), ...sizes]),
};
const runs: Record<string, Point[][]> = { c: [], 'node-spin': [], 'node-turn': [] };
for (let r = 0; r < rounds; r++) {
  for (const [name, program] of Object.entries(systems)) {
    runs[name]!.push(runPair(program));
    process.stderr.write(`round ${r + 1}/${rounds} ${name} done\n`);
  }
}

const medians = SIZES.map((size, i) => {
  const row: Record<string, number> = { size };
  for (const name of Object.keys(systems)) {
    row[`${name}Us`] = median(runs[name]!.map((pts) => pts[i]!.halfRoundTripUs));
    row[`${name}MBs`] = median(runs[name]!.map((pts) => pts[i]!.bandwidthMBs));
  }
  return row;
});

const fmtSize = (s: number) => (s >= 1 << 20 ? `${s / (1 << 20)} MiB` : s >= 1024 ? `${s / 1024} KiB` : `${s} B`);
const m = machine();
const lines = [
  `Measured ${m.date.slice(0, 10)} on ${m.cpuModel}, ${m.cores} cores, ${m.numaNodes} NUMA node(s), ${m.mpi}, Node ${m.node}; ` +
    `2 ranks bound to distinct cores; median of ${rounds} run(s)${quick ? ' (quick mode)' : ''}. ` +
    'Half round trip in µs; bandwidth in MB/s (10^6 bytes/s).',
  '',
  '| size | C µs | Node spin µs | spin − C µs | Node turn µs | C MB/s | Node spin MB/s | spin / C |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...medians.map(
    (r) =>
      `| ${fmtSize(r.size!)} | ${r.cUs!.toFixed(2)} | ${r['node-spinUs']!.toFixed(2)} | ${(r['node-spinUs']! - r.cUs!).toFixed(2)} | ` +
      `${r['node-turnUs']!.toFixed(2)} | ${r.cMBs!.toFixed(0)} | ${r['node-spinMBs']!.toFixed(0)} | ${(r['node-spinMBs']! / r.cMBs!).toFixed(2)} |`,
  ),
];
const small = medians[0]!;
const NAMES: Record<string, string> = { c: 'C MPI (blocking send/recv)', 'node-spin': 'Node through the addon, spin', 'node-turn': 'Node through the addon, one poll per event-loop turn' };
const large = medians.filter((r) => r.size! >= 1 << 20);
const worstBw = Math.min(...large.map((r) => r['node-spinMBs']! / r.cMBs!));
const gap = small['node-spinUs']! - small.cUs!;
const goals: Goal[] = [
  { goal: 'Node half round trip for 8 B within 2 µs of C', figure: `${gap.toFixed(2)} µs (${small['node-spinUs']!.toFixed(2)} vs ${small.cUs!.toFixed(2)} µs)`, met: gap <= 2, figureKey: 'gap8' },
  { goal: 'ping-pong bandwidth ≥ 90% of C for ≥ 1 MiB', figure: `worst ${(worstBw * 100).toFixed(0)}%`, met: worstBw >= 0.9, figureKey: 'worstBandwidth' },
];
// Run by run: each run's Node figure against the C run of the same round.
const largeAt = SIZES.flatMap((s, i) => (s >= 1 << 20 ? [i] : []));
const figures: Record<string, FigureInput> = {
  gap8: { label: 'Node spin − C, half round trip for 8 B (run by run)', unit: 'µs', better: 'lower', runs: runs['node-spin']!.map((pts, r) => pts[0]!.halfRoundTripUs - runs.c![r]![0]!.halfRoundTripUs), goal: true },
  worstBandwidth: { label: 'worst Node spin / C bandwidth for ≥ 1 MiB (run by run)', unit: '%', better: 'higher', runs: runs['node-spin']!.map((pts, r) => Math.min(...largeAt.map((i) => pts[i]!.bandwidthMBs / runs.c![r]![i]!.bandwidthMBs))), goal: true },
};
for (const name of Object.keys(systems)) {
  SIZES.forEach((size, i) => {
    figures[`us.${name}.${size}`] = { label: `${NAMES[name]}, ${fmtSize(size)}: half round trip`, unit: 'µs', better: 'lower', runs: runs[name]!.map((pts) => pts[i]!.halfRoundTripUs) };
    if (size >= 32768) figures[`MBs.${name}.${size}`] = { label: `${NAMES[name]}, ${fmtSize(size)}: bandwidth`, unit: 'MB/s', better: 'higher', runs: runs[name]!.map((pts) => pts[i]!.bandwidthMBs) };
  });
}
const table = [
  ...lines,
  '',
  ...goals.map((g) => `Goal: ${g.goal} — measured ${g.figure}: **${g.met ? 'met' : 'not met'}**.`),
  '',
  '![half round trip vs message size](results/pingpong-latency.svg)',
].join('\n');
const charts = {
  'pingpong-latency.svg': lineChart({
    title: 'Ping-pong: half round trip vs message size',
    xLabel: 'message size (bytes)',
    yLabel: 'half round trip (µs)',
    xLog: true,
    yLog: true,
    series: Object.keys(systems).map((name) => ({ name: NAMES[name]!, points: medians.map((r) => [r.size!, r[`${name}Us`]!] as [number, number]) })),
  }),
};
publish('pingpong', opts, m, { data: { launcher, sizes: SIZES, medians, runs }, table, goals, charts, figures });
