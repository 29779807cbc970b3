// taskloaf bench: runs the suite's benchmarks by name, refuses bad input with
// the option and the reason.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { cli, root } from './helpers/ranks.js';

const bench = (...args: string[]) => spawnSync(process.execPath, [cli, 'bench', ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 });

t.test('runs a named benchmark in quick mode and prints its table', async (t) => {
  const r = bench('wire-values', '--quick', '--no-write');
  t.equal(r.status, 0, r.stderr);
  t.match(r.stdout, /\| tiny args \[n, "abc", \{x: 1\}\] \|/);
  t.match(r.stderr, /bench: wire-values \(quick\)/);
  t.match(r.stderr, /bench: wire-values done/);
});

t.test('an unknown benchmark is refused with the list of names', async (t) => {
  const r = bench('nosuch', '--no-write');
  t.equal(r.status, 2);
  t.match(r.stderr, /no benchmark named 'nosuch'; the benchmarks are pingpong, arena, .*taskbench, stealing/);
});

t.test('bad options name the option and the reason', async (t) => {
  for (const [args, msg] of [
    [['--rounds', '0'], /--rounds: a whole number of runs ≥ 1, got 0 \[ERR_INVALID_OPTION\]/],
    [['--rounds', '1.5'], /--rounds: a whole number of runs ≥ 1, got 1.5/],
    [['--width', '-2'], /--width: a whole number of ranks ≥ 1, got -2/],
    [['--ranks', '1,2;rm -rf /'], /--ranks: a comma-separated list of rank counts like 1,2,4, got '1,2;rm -rf \/'/],
  ] as [string[], RegExp][]) {
    const r = bench(...args, '--no-write');
    t.equal(r.status, 2, args.join(' '));
    t.match(r.stderr, msg);
  }
});

t.test('--help lists the options', async (t) => {
  const r = bench('--help');
  t.equal(r.status, 0);
  for (const o of ['--quick', '--rounds', '--reruns', '--out', '--runs', '--against', '--no-write', '--width', '--ranks', '--no-dask']) t.match(r.stdout, o);
});

t.test('a benchmark job: submit ... bench renders `taskloaf bench` and checks its arguments first', async (t) => {
  const cwd = t.testdir({});
  const submit = (...args: string[]) => spawnSync(process.execPath, [cli, 'submit', '--scheduler', 'slurm', '--dry-run', '--nodes', '1', '--ntasks-per-node', '2', ...args], { cwd, encoding: 'utf8' });
  const ok = submit('bench', 'taskbench', 'stealing', '--rounds', '3', '--ranks', '1,2');
  t.equal(ok.status, 0, ok.stderr);
  t.match(ok.stdout, /\nexec '?[^\n]*node'? '?[^\n]*main\.js'? bench taskbench stealing --rounds 3 --ranks 1,2\n/);
  t.match(ok.stdout, /#SBATCH --job-name=bench\n/);
  for (const [args, msg] of [
    [['bench', 'nosuch'], /bench: no benchmark named "nosuch"/],
    [['bench', '--rounds'], /--rounds: bench --rounds takes a whole number ≥ 1, got nothing/],
    [['bench', '--ranks', '1;reboot'], /--ranks: bench --ranks takes a list like 1,2,4, got "1;reboot"/],
    [['bench', '$(reboot)'], /no benchmark named "\$\(reboot\)"/],
    [['bench', '--exec'], /--exec: not an option of taskloaf bench/],
  ] as [string[], RegExp][]) {
    const r = submit(...args);
    t.equal(r.status, 2, args.join(' '));
    t.match(r.stderr, msg);
    t.match(r.stderr, /\[ERR_INVALID_OPTION\]/);
  }
});

t.test('--out writes the results there, relative to the caller, and leaves bench/README.md alone', async (t) => {
  const cwd = t.testdir({});
  const readme = readFileSync(join(root, 'bench', 'README.md'), 'utf8');
  const r = spawnSync(process.execPath, [cli, 'bench', 'wire-batch', '--quick', '--out', 'results'], { cwd, encoding: 'utf8', timeout: 300_000 });
  t.equal(r.status, 0, r.stderr);
  const stored = JSON.parse(readFileSync(join(cwd, 'results', 'wire-batch.json'), 'utf8'));
  t.equal(stored.benchmark, 'wire-batch');
  t.equal(stored.quick, true);
  t.strictSame(stored.tries, [{ widest: 1, wide: [] }], 'one try: a quick run has one round, nothing to be wide');
  t.equal(stored.figures['ns.taskloaf batch 64'].n, 1);
  t.equal(stored.goals[0].figureKey, 'ns.taskloaf batch 64');
  t.match(stored.goals[0].spread, /^\d+(\.\d+)? ns \(1 run\)$/);
  t.equal(stored.quiet.measurements, 1, 'the in-process benchmark started quietly once');
  t.match(stored.section, /Spread of every figure above/);
  t.equal(readFileSync(join(root, 'bench', 'README.md'), 'utf8'), readme, 'README untouched');
});

t.test('compare: a run against itself is all ratio 1; bad input names the problem', async (t) => {
  const machine = { host: 'h', cpuModel: 'CPU X', cores: 2, numaNodes: 1, memoryGiB: 24, kernel: '6.1', node: 'v24', mpi: 'MPI', date: '2026-12-07T00:00:00Z' };
  const fig = { label: 'made-up figure', unit: 'µs', better: 'lower', runs: [5], headline: true, n: 1, median: 5, min: 5, max: 5, q1: 5, q3: 5, ratio: 1, wide: false };
  const cwd = t.testdir({
    run: { 'made-up.json': JSON.stringify({ benchmark: 'made-up', quick: false, rounds: 1, machine, figures: { x: fig, y: { ...fig, headline: false } } }) },
    quick: { 'made-up.json': JSON.stringify({ benchmark: 'made-up', quick: true, rounds: 1, machine, figures: { x: fig } }) },
  });
  const same = spawnSync(process.execPath, [cli, 'bench', 'compare', 'run', '--against', 'run'], { cwd, encoding: 'utf8' });
  t.equal(same.status, 0, same.stderr);
  t.match(same.stdout, /\| made-up\.x \| 5\.00 µs \| 5\.00 µs \| 1\.00× \| — \| no noise band \|/);
  t.notMatch(same.stdout, /made-up\.y/, 'headline figures only');
  // Without --against a quick run is compared with the stored quick run (bench/results/quick), which has no such benchmark.
  const stored = spawnSync(process.execPath, [cli, 'bench', 'compare', 'quick'], { cwd, encoding: 'utf8' });
  t.equal(stored.status, 0, stored.stderr);
  t.match(stored.stdout, /with .*bench\/results\/quick; noise bands from bench\/noise\.json \(\d+ quick suite runs/);
  t.match(stored.stdout, /\| made-up\.x \| — \| 5\.00 µs \| — \| — \| not comparable \(no stored result\) \|/);
  for (const [args, msg] of [
    [['compare', 'nosuch'], /bench compare: no results directory .*nosuch \[ERR_INVALID_OPTION\]/],
    [['compare'], /bench compare: takes one directory of new results, got none/],
    [['compare', 'run', '--against'], /--against: takes a directory of stored results/],
    [['compare', 'run', '--against', 'empty-nosuch'], /no stored results at .*empty-nosuch/],
  ] as [string[], RegExp][]) {
    const r = spawnSync(process.execPath, [cli, 'bench', ...args], { cwd, encoding: 'utf8' });
    t.equal(r.status, 2, args.join(' '));
    t.match(r.stderr, msg);
  }
});

t.test('suite and noise options are checked before anything runs', async (t) => {
  for (const [args, msg] of [
    [['--reruns', '-1'], /--reruns: a whole number ≥ 0, got -1/],
    [['noise', '--runs', '1'], /--runs: a whole number of suite runs ≥ 2, got 1/],
  ] as [string[], RegExp][]) {
    const r = bench(...args);
    t.equal(r.status, 2, args.join(' '));
    t.match(r.stderr, msg);
  }
});
