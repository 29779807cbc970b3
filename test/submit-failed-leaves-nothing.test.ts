// A submit the scheduler refuses leaves no job script and no log directory
// behind; a directory that was there, and other files in it, stay.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, root } from './helpers/ranks.js';

const fib = join(root, 'examples', 'fib.ts');
// An sbatch that refuses every job, as a site's would refuse a bad partition.
const bin = t.testdir({});
writeFileSync(join(bin, 'sbatch'), '#!/bin/sh\necho "sbatch: error: invalid partition specified: nosuch" >&2\nexit 1\n', { mode: 0o755 });

function submit(cwd: string, args: string[] = []) {
  return spawnSync(process.execPath, [cli, 'submit', '--scheduler', 'slurm', ...args, fib], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, TASKLOAF_JOBS_DIR: join(cwd, 'records') },
  });
}

t.test('refused: nothing left', async (t) => {
  const cwd = t.testdir({});
  const r = submit(cwd, ['--output', 'deep/out.txt']);
  t.equal(r.status, 3);
  t.match(r.stderr, /sbatch failed: .*invalid partition/);
  t.notOk(existsSync(join(cwd, 'taskloaf-jobs')), 'no taskloaf-jobs/');
  t.notOk(existsSync(join(cwd, 'deep')), 'no output directory');
  t.notOk(existsSync(join(cwd, 'records')), 'no record');
});

t.test('refused in an existing log directory: its files stay, no new one', async (t) => {
  const cwd = t.testdir({ 'taskloaf-jobs': { 'fib-41.out': 'an earlier job\n' } });
  const r = submit(cwd);
  t.equal(r.status, 3);
  t.same(readdirSync(join(cwd, 'taskloaf-jobs')), ['fib-41.out']);
});
