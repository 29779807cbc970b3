// `submit --wait` exits with the job's own status, so a scheduler failure
// there exits 125, not 3 (which a job may return); without --wait it is 3.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, root } from './helpers/ranks.js';

const fib = join(root, 'examples', 'fib.ts');
const bin = t.testdir({});
writeFileSync(join(bin, 'sbatch'), '#!/bin/sh\necho "sbatch: error: Batch job submission failed" >&2\nexit 1\n', { mode: 0o755 });

function tl(args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { cwd: bin, encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, TASKLOAF_JOBS_DIR: join(bin, 'records') } });
}

t.test('the scheduler fails', async (t) => {
  const waited = tl(['submit', '--scheduler', 'slurm', '--wait', fib]);
  t.equal(waited.status, 125, 'with --wait: 125');
  t.match(waited.stderr, /sbatch failed: .*\[ERR_SCHEDULER\]/);
  const plain = tl(['submit', '--scheduler', 'slurm', fib]);
  t.equal(plain.status, 3, 'without: 3');
  const bad = tl(['submit', '--scheduler', 'slurm', '--wait', '--nodes', 'x', fib]);
  t.equal(bad.status, 2, 'bad usage stays 2');
});

t.test('--help says so', async (t) => {
  const r = tl(['submit', '--help']);
  t.match(r.stdout.replace(/\s+/g, ' '), /125: the scheduler failed/);
  t.match(tl(['--help']).stdout.replace(/\s+/g, ' '), /and 125 when the scheduler failed/);
});
