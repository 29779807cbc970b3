// `taskloaf doctor` through the real CLI: every check on this machine, and
// each kind of broken environment named with what to do about it.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './helpers/ranks.js';
import { meetsEngines, type Check } from '../src/launch/doctor.js';

const NAMES = ['node', 'environment', 'addon', 'launcher', 'cores', 'shared memory', 'scheduler'];

function doctor(env: NodeJS.ProcessEnv = {}, args: string[] = ['--json']) {
  const r = spawnSync(process.execPath, [cli, 'doctor', ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  const checks = args.includes('--json') ? r.stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Check) : [];
  return { code: r.status, checks, stdout: r.stdout, by: (name: string) => checks.find((c) => c.name === name)! };
}

t.test('this machine: every check passes, in the order a job meets them', async (t) => {
  const r = doctor();
  t.equal(r.code, 0, r.stdout);
  t.same(r.checks.map((c) => c.name), NAMES);
  // The scheduler is a warning where none is installed yet (taskloaf run works without one).
  for (const c of r.checks) t.ok(c.verdict === 'ok' || (c.name === 'scheduler' && c.verdict === 'warn'), `${c.name}: ${c.verdict}: ${c.detail}`);
  t.match(r.by('shared memory').detail, /a segment was made, mapped and removed/);
  const text = doctor({}, []);
  t.match(text.stdout, /^ok {4}node: Node \d+/m, 'a line per check for people');
});

t.test('a launcher of another MPI is named, with the fix', async (t) => {
  const bin = mkdtempSync(join(tmpdir(), 'taskloaf-doctor-'));
  const fake = join(bin, 'mpiexec');
  writeFileSync(fake, '#!/bin/sh\necho "HYDRA build details:"\n');
  chmodSync(fake, 0o755);
  const r = doctor({ TASKLOAF_MPIEXEC: fake });
  t.equal(r.code, 1);
  t.match(r.by('launcher'), { verdict: 'fail', detail: /is mpich but the addon was built against openmpi \[ERR_LAUNCHER_MISMATCH\]/, fix: /TASKLOAF_MPIEXEC/ });
  t.equal(r.by('addon').verdict, 'ok', 'the rest is still checked');
});

t.test('a bad build directory and a bad variable: named, and what depends on the addon is not checked', async (t) => {
  const r = doctor({ TASKLOAF_BUILD: '/nonexistent', TASKLOAF_ARENA_LIMIT: 'lots' });
  t.equal(r.code, 1);
  t.match(r.by('environment'), { verdict: 'fail', detail: /TASKLOAF_ARENA_LIMIT must be a size.*got 'lots'/ });
  t.match(r.by('addon'), { verdict: 'fail', detail: /TASKLOAF_BUILD.*\[ERR_INVALID_ENV\]/, fix: 'correct or unset TASKLOAF_BUILD' });
  for (const name of ['launcher', 'cores', 'shared memory']) t.match(r.by(name), { verdict: 'fail', detail: 'not checked: the addon does not load' });
});

t.test('no scheduler on PATH is a warning: taskloaf run still works', async (t) => {
  const r = doctor({ PATH: '/nonexistent' });
  t.equal(r.code, 0, 'a warning does not fail');
  t.match(r.by('scheduler'), { verdict: 'warn', detail: /no sbatch or qsub on PATH.*taskloaf run works, submit does not/ });
});

t.test("Node's version against package.json's engines", async (t) => {
  t.equal(meetsEngines('20.19.0', '>=20.19'), true);
  t.equal(meetsEngines('20.18.9', '>=20.19'), false);
  t.equal(meetsEngines('22.1.0', '>=20.19'), true);
  t.equal(meetsEngines('20.19.0', '>=20.19.1'), false);
  t.equal(meetsEngines('24.0.0', '>=20.19'), true);
});
