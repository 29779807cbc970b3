// taskloaf bench: runs the suite's benchmarks by name, refuses bad input with
// the option and the reason.
import { spawnSync } from 'node:child_process';
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
  for (const o of ['--quick', '--rounds', '--no-write', '--width', '--ranks', '--no-dask']) t.match(r.stdout, o);
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
