// The job script carries --env values and sits in a directory other users
// may write to: it is created as a new file, owner-only, under a name no one
// can guess, and neither its creation nor its renaming after the job id
// follows or replaces a link planted there.
import t from 'tap';
import { lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobSpec } from '../src/launch/jobs/spec.js';
import { newStamp, submit, writeScript } from '../src/launch/jobs/submit.js';
import type { Exec } from '../src/schedulers/commands.js';

const sbatch: Exec = async () => ({ code: 0, stdout: '4242\n', stderr: '' });
function setup(t: { teardown(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'taskloaf-script-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const spec = jobSpec({ scheduler: 'slurm', jobName: 'app', logDir: dir, env: ['SECRET=hunter2'] }, 'app.ts', [], {}, dir);
  const victim = join(dir, 'victim');
  writeFileSync(victim, 'precious\n', { mode: 0o644 });
  return { dir, spec, victim, env: { ...process.env, TASKLOAF_JOBS_DIR: join(dir, 'records') } };
}

t.test('a link planted at the script name is neither followed nor replaced', async (t) => {
  const { dir, spec, victim, env } = setup(t);
  const stamp = newStamp();
  const planted = join(dir, `app-${stamp}.sh`);
  symlinkSync(victim, planted);
  await t.rejects(submit(spec, { stamp, run: sbatch, env }), { code: 'ERR_JOB_SCRIPT_EXISTS' });
  t.equal(readFileSync(victim, 'utf8'), 'precious\n', 'the link target is untouched');
  t.ok(lstatSync(planted).isSymbolicLink(), 'the link is still the link');
  t.equal(readlinkSync(planted), victim);
});

t.test('a file already at the name is not truncated', async (t) => {
  const { dir } = setup(t);
  const path = join(dir, 'taken.sh');
  writeFileSync(path, 'theirs\n');
  t.throws(() => writeScript(path, '#!/bin/sh\n'), { code: 'ERR_JOB_SCRIPT_EXISTS' });
  t.equal(readFileSync(path, 'utf8'), 'theirs\n');
});

t.test('the script is created owner-only under an unguessable name', async (t) => {
  const { dir, spec, env } = setup(t);
  const before = process.umask(0o022);
  try {
    const stamp = newStamp();
    t.match(stamp, /^\d{8}-\d{6}-[0-9a-f]{16}$/, '64 random bits in the name');
    t.not(newStamp(), stamp, 'a new name each time');
    const s = await submit(spec, { stamp, run: sbatch, env });
    t.equal(s.scriptPath, join(dir, 'app-4242.sh'));
    t.equal(statSync(s.scriptPath).mode & 0o777, 0o700, 'rwx for the owner, nothing for others');
    t.match(readFileSync(s.scriptPath, 'utf8'), /SECRET=/);
  } finally {
    process.umask(before);
  }
});

t.test('renaming after the job id leaves a link planted at that name alone', async (t) => {
  const { dir, spec, victim, env } = setup(t);
  const named = join(dir, 'app-4242.sh');
  symlinkSync(victim, named);
  const stamp = newStamp();
  const s = await submit(spec, { stamp, run: sbatch, env });
  t.equal(s.scriptPath, join(dir, `app-${stamp}.sh`), 'the script keeps its stamped name');
  t.ok(lstatSync(named).isSymbolicLink(), 'the planted link is not replaced');
  t.equal(readFileSync(victim, 'utf8'), 'precious\n', 'nor its target written');
  t.match(readFileSync(s.scriptPath, 'utf8'), /SECRET=/);
});
