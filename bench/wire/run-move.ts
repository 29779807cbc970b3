// Moving an Arrow table between two ranks: on one node, and on two simulated
// nodes over TCP, each against tableToIPC + MPI and raw MPI of the same bytes
// in the same run. Writes bench/results/wire-move.json and the wire-move
// section of bench/README.md.
// Usage: node --import tsx bench/wire/run-move.ts [--quick] [--rounds N] [--no-write]
import { join } from 'node:path';
import { packageRoot } from '../../src/native/addon.js';
import { measure } from '../lib/launch.js';
import { machine, median } from '../lib/machine.js';
import { benchOptions, publish, type Goal } from '../lib/report.js';
import type { FigureInput } from '../lib/spread.js';

const opts = benchOptions();
const { quick, rounds } = opts;
const cli = join(packageRoot, 'dist', 'cli', 'main.js');
const script = join(packageRoot, 'bench', 'wire', 'move.ts');
const big = quick ? 8 : 64;
const configs: { name: string; flags: string[]; sizes: number[] }[] = [
  { name: 'one node', flags: [], sizes: [1, big] },
  { name: '2 simulated nodes, TCP', flags: ['--simulate-nodes', '2', '--tcp'], sizes: [big] },
];

type Rec = { mib: number; method: string; us: number; copiedAtSender: number; all: number[] };
const all: Record<string, Rec[]> = {};
for (let r = 0; r < rounds; r++) {
  for (const c of configs) {
    const run = measure(process.execPath, [cli, 'run', '-n', '2', ...c.flags, script, c.sizes.join(','), quick ? '2' : '5'], { ...process.env, NODE_OPTIONS: '--expose-gc' }, 600_000);
    if (run.status !== 0) throw new Error(`move bench (${c.name}) failed:\n${run.stderr}`);
    for (const line of run.stdout.split('\n').filter((l) => l.startsWith('{'))) {
      const rec = JSON.parse(line) as Rec;
      (all[`${c.name}|${rec.mib}|${rec.method}`] ??= []).push(rec);
    }
  }
  process.stderr.write(`round ${r + 1}/${rounds} done\n`);
}
const m = machine();
const ms = (us: number) => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(0)} µs`);
const rows: string[] = [];
const summary: Record<string, { us: number; copiedAtSender: number }> = {};
for (const c of configs) {
  for (const mib of c.sizes) {
    const get = (method: string) => all[`${c.name}|${mib}|${method}`] ?? [];
    const raw = median(get('raw MPI').map((x) => x.us));
    for (const method of ['taskloaf', 'taskloaf, released', 'taskloaf first send', 'naive', 'raw MPI', 'raw MPI, fresh buffer']) {
      const xs = get(method);
      if (xs.length === 0) continue;
      const us = median(xs.map((x) => x.us));
      summary[`${c.name}|${mib}|${method}`] = { us, copiedAtSender: xs[0]!.copiedAtSender };
      const label = {
        taskloaf: c.name === 'one node' ? 'taskloaf, table already in the arena (reference only)' : 'taskloaf (column sent from where it lies), dropped after reading: block back at a collection',
        'taskloaf, released': 'taskloaf, released after reading: block back at once (release())',
        'taskloaf first send': c.name === 'one node' ? 'taskloaf, heap table (copied into the arena once)' : 'taskloaf, fresh heap table',
        naive: 'tableToIPC + MPI + tableFromIPC',
        'raw MPI': 'raw MPI, same bytes, into a ready buffer',
        'raw MPI, fresh buffer': 'raw MPI, same bytes, into a new buffer',
      }[method];
      // A reference moves no bytes: no bandwidth to speak of.
      const byRef = method === 'taskloaf' && c.name === 'one node';
      const gbs = byRef ? '—' : ((mib * 2 ** 20) / us / 1e3).toFixed(2);
      const ofRaw = byRef ? '—' : `${((raw / us) * 100).toFixed(0)}%`;
      rows.push(`| ${c.name} | ${mib} MiB | ${label} | ${ms(us)} | ${gbs} | ${ofRaw} | ${(xs[0]!.copiedAtSender / 2 ** 20).toFixed(2)} MiB |`);
    }
  }
}
const sameNode = summary[`one node|${big}|taskloaf`]!;
const cross = summary[`2 simulated nodes, TCP|${big}|taskloaf, released`]!;
const crossDropped = summary[`2 simulated nodes, TCP|${big}|taskloaf`]!;
const crossRaw = summary[`2 simulated nodes, TCP|${big}|raw MPI`]!;
const pct = (us: number) => `${((crossRaw.us / us) * 100).toFixed(0)}%`;
// Each taskloaf move is followed by a raw MPI move of the same bytes: their
// ratio, move by move, is what this machine's drift from moment to moment
// does not move. The raw moves of a run follow the dropped moves, then the released ones.
const pairs = (method: 'taskloaf' | 'taskloaf, released'): number[][] => {
  const raws = all[`2 simulated nodes, TCP|${big}|raw MPI`] ?? [];
  const ours = all[`2 simulated nodes, TCP|${big}|${method}`] ?? [];
  return ours.map((run, r) => {
    const raw = raws[r]!.all;
    const at = method === 'taskloaf' ? 0 : run.all.length;
    return run.all.map((us, i) => raw[at + i]! / us);
  });
};
const paired = (method: 'taskloaf' | 'taskloaf, released'): number => median(pairs(method).flat());
const pairedReleased = paired('taskloaf, released');
const pairedDropped = paired('taskloaf');
const goals: Goal[] = [
  { goal: `same-node table move (${big} MiB): no payload bytes copied`, figure: `${(sameNode.copiedAtSender / 2 ** 20).toFixed(2)} MiB copied, ${ms(sameNode.us)}`, met: sameNode.copiedAtSender === 0, figureKey: 'same.copied' },
  {
    goal: `cross-node table move (${big} MiB, TCP): ≥ 90% of raw MPI bandwidth`,
    figure: `${(pairedReleased * 100).toFixed(0)}% released after reading, move by move against the raw move beside it (medians: ${ms(cross.us)} vs ${ms(crossRaw.us)}, ${pct(cross.us)}); ${(pairedDropped * 100).toFixed(0)}% when left to the garbage collector (medians ${pct(crossDropped.us)})`,
    met: pairedReleased >= 0.9,
    figureKey: 'cross.releasedOfRaw',
  },
];
// Run by run: each run's median of its own pairs, and each path's median time.
const figures: Record<string, FigureInput> = {
  'cross.releasedOfRaw': { label: `cross-node ${big} MiB move, released after reading, of raw MPI (each run's median pair)`, unit: '%', better: 'higher', runs: pairs('taskloaf, released').map(median), headline: true, goal: true },
  'same.copied': { label: `same-node ${big} MiB move: bytes copied at the sender`, unit: 'MiB', better: 'lower', runs: (all[`one node|${big}|taskloaf`] ?? []).map((x) => x.copiedAtSender), goal: true },
  'cross.droppedOfRaw': { label: `the same, left to the garbage collector`, unit: '%', better: 'higher', runs: pairs('taskloaf').map(median) },
};
for (const [k, xs] of Object.entries(all)) {
  const [where, mib, method] = k.split('|') as [string, string, string];
  figures[`us.${k}`] = { label: `${where}, ${mib} MiB, ${method}: time`, unit: 'µs', better: 'lower', runs: xs.map((x) => x.us) };
}
const table = [
  `Measured ${m.date.slice(0, 10)} on ${m.cpuModel}, ${m.cores} cores, ${m.mpi}; median of ${rounds} run(s) × ${4 * (quick ? 2 : 5)} moves (${quick ? 2 : 5} for the heap tables, the naive path and new buffers)${quick ? ' (quick mode)' : ''}. Rank 0 sends a one-column Float64 table, rank 1 reads it and acknowledges; time is the round trip. Each taskloaf move is followed by a raw MPI move of the same bytes, so both see the same moments of this shared machine; the goal is judged on the median of those pairs' ratios (the table's "of raw MPI" compares medians of all moves).`,
  '',
  '| where | size | path | time | GB/s | of raw MPI | copied at sender |',
  '|---|---:|---|---:|---:|---:|---:|',
  ...rows,
  '',
  ...goals.map((g) => `Goal: ${g.goal} — measured ${g.figure}: **${g.met ? 'met' : 'not met'}**.`),
].join('\n');
publish('wire-move', opts, m, { data: { medians: summary, runs: all }, table, goals, figures });
