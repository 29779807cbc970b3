// Arena benchmarks: allocation rate against the JS allocators, and reading a
// peer's 256 MiB column in place against copying it. Writes
// bench/results/arena.json and the arena section of bench/README.md.
// Usage: node --import tsx bench/arena/run.ts [--quick] [--rounds N] [--no-write]
import { join } from 'node:path';
import { packageRoot } from '../../src/native/addon.js';
import { measure } from '../lib/launch.js';
import { machine, median } from '../lib/machine.js';
import { benchOptions, publish } from '../lib/report.js';
import type { FigureInput } from '../lib/spread.js';

const opts = benchOptions();
const { quick, rounds } = opts;
const cli = join(packageRoot, 'dist', 'cli', 'main.js');

function lines(cmd: string[], env: NodeJS.ProcessEnv = {}): Record<string, unknown>[] {
  const r = measure(cmd[0]!, cmd.slice(1), { ...process.env, ...env }, 600_000);
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

const allocRuns: Record<string, unknown>[][] = [];
const sumRuns: Record<string, unknown>[] = [];
for (let r = 0; r < rounds; r++) {
  allocRuns.push(lines([process.execPath, '--import', 'tsx', join(packageRoot, 'bench', 'arena', 'alloc.ts'), quick ? '20000' : '200000']));
  sumRuns.push(lines([process.execPath, cli, 'run', '-n', '2', join(packageRoot, 'bench', 'arena', 'peer-sum.ts'), quick ? '32' : '256', quick ? '1' : '3'])[0]!);
  process.stderr.write(`round ${r + 1}/${rounds} done\n`);
}

const allocMedian = (kind: string, allocator: string) =>
  median(allocRuns.map((run) => run.find((x) => x.kind === kind && x.allocator === allocator)!.perSecond as number));
const sumMedian = (key: string) => median(sumRuns.map((x) => x[key] as number));
const m = machine();
const fmt = (x: number) => (x >= 1e6 ? `${(x / 1e6).toFixed(2)} M/s` : `${(x / 1e3).toFixed(0)} k/s`);
const rows = ['small', 'large'].map((kind) => {
  const a = allocMedian(kind, 'arena');
  const ab = allocMedian(kind, 'arrayBuffer');
  const u = allocMedian(kind, 'allocUnsafe');
  return `| ${kind === 'small' ? 'small (16 B – 2 KiB)' : 'large (64 KiB – 1 MiB)'} | ${fmt(a)} | ${fmt(ab)} | ${fmt(u)} | ${(a / ab).toFixed(1)}× | ${(a / u).toFixed(1)}× |`;
});
const mb = sumRuns[0]!.bytes as number;
const table = [
  `Measured ${m.date.slice(0, 10)} on ${m.cpuModel}, ${m.cores} cores, ${m.numaNodes} NUMA node(s), Node ${m.node}; median of ${rounds} run(s)${quick ? ' (quick mode)' : ''}.`,
  '',
  'Allocations per second, alloc + free with 1,000 blocks live (each block gets a view and one byte written):',
  '',
  '| blocks | arena | new ArrayBuffer | Buffer.allocUnsafe | arena / ArrayBuffer | arena / allocUnsafe |',
  '|---|---:|---:|---:|---:|---:|',
  ...rows,
  '',
  `Summing a ${mb / 2 ** 20} MiB Float64 column (best of the repetitions in each run, then the median over runs):`,
  '',
  '| who | GB/s | bytes copied |',
  '|---|---:|---:|',
  `| owner, in place | ${sumMedian('ownerInPlaceGBs').toFixed(2)} | 0 |`,
  `| peer on the same node, in place (shared segment) | ${sumMedian('peerInPlaceGBs').toFixed(2)} | 0 |`,
  `| peer, copy first then sum | ${sumMedian('peerCopyThenSumGBs').toFixed(2)} | ${mb / 2 ** 20} MiB |`,
  `| (allocate a new array and copy into it, alone) | ${sumMedian('copyGBs').toFixed(2)} | ${mb / 2 ** 20} MiB |`,
].join('\n');
const figures: Record<string, FigureInput> = {};
for (const kind of ['small', 'large'])
  for (const allocator of ['arena', 'arrayBuffer', 'allocUnsafe'])
    figures[`alloc.${kind}.${allocator}`] = { label: `${kind} blocks, ${allocator}: allocations per second`, unit: '/s', better: 'higher', runs: allocRuns.map((run) => run.find((x) => x.kind === kind && x.allocator === allocator)!.perSecond as number) };
for (const key of ['ownerInPlaceGBs', 'peerInPlaceGBs', 'peerCopyThenSumGBs', 'copyGBs']) figures[`sum.${key}`] = { label: `summing ${mb / 2 ** 20} MiB: ${key.replace(/GBs$/, '')}`, unit: 'GB/s', better: 'higher', runs: sumRuns.map((x) => x[key] as number) };
publish('arena', opts, m, { data: { allocRuns, sumRuns }, table, figures });
