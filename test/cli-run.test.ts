import t from 'tap';
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { splitAtScript } from '../src/cli/argv.js';
import { localCommand, flavorOf } from '../src/launch/mpiexec.js';
import { runCommand } from '../src/launch/run.js';
import { cli, root, runRanks } from './helpers/ranks.js';

t.test('script arguments pass through verbatim', async (t) => {
  t.same(splitAtScript(['run', '-n', '2', 'app.ts', '-n', '5', '--tcp']), {
    own: ['run', '-n', '2', 'app.ts'],
    scriptArgs: ['-n', '5', '--tcp'],
  });
  t.same(splitAtScript(['run', '--tcp', '--bind', 'none', 'a.js']), { own: ['run', '--tcp', '--bind', 'none', 'a.js'], scriptArgs: [] });
  t.same(splitAtScript(['run', '-n', '2', '--', '--weird.ts', 'x']), { own: ['run', '-n', '2', '--weird.ts'], scriptArgs: ['x'] });
});

t.test('launcher flavors and command lines', async (t) => {
  t.equal(flavorOf('mpirun (Open MPI) 4.1.4'), 'openmpi');
  t.equal(flavorOf('HYDRA build details:\n    Version: 4.0.2'), 'mpich');
  t.equal(flavorOf('Open MPI v4.1.4, package: Debian OpenMPI'), 'openmpi');
  t.equal(flavorOf('MPICH Version: 4.0.2'), 'mpich');
  t.equal(flavorOf('something else'), null);
  const base = { np: 4, oversubscribe: true, bind: 'core' as const, tcp: true, program: ['node', 'x.js'] };
  const o = localCommand({ path: '/usr/bin/mpirun', flavor: 'openmpi' }, base, {});
  t.ok(o.args.includes('--oversubscribe'));
  t.match(o.args.join(' '), /--bind-to core:overload-allowed/);
  t.match(o.args.join(' '), /--mca btl tcp,self/);
  t.same(o.args.slice(-2), ['node', 'x.js'], 'the program comes last, as separate arguments');
  if (process.getuid?.() === 0) t.equal(o.env.OMPI_ALLOW_RUN_AS_ROOT, '1', 'root is allowed for Open MPI');
  const m = localCommand({ path: '/usr/bin/mpiexec.mpich', flavor: 'mpich' }, { ...base, bind: 'none' }, {});
  t.match(m.args.join(' '), /-bind-to none/);
  t.equal(m.env.MPIR_CVAR_NOLOCAL, '1', 'MPICH takes the network path');
  t.notOk(m.env.OMPI_ALLOW_RUN_AS_ROOT);
});

t.test('option errors name the option', async (t) => {
  const script = join(root, 'test', 'ranks', 'world.ts');
  t.throws(() => runCommand({ np: 0, script }), { code: 'ERR_INVALID_OPTION', message: /-n\/--np/ });
  t.throws(() => runCommand({ np: 1.5, script }), { code: 'ERR_INVALID_OPTION' });
  t.throws(() => runCommand({ np: availableParallelism() + 1, script }), { code: 'ERR_OVERSUBSCRIBED', message: /--oversubscribe/ });
  t.throws(() => runCommand({ np: 1, script: 'no/such/file.ts' }), { code: 'ERR_SCRIPT_NOT_FOUND' });
  const r = spawnSync(process.execPath, [cli, 'run', '-n', '1', 'no/such/file.ts'], { encoding: 'utf8' });
  t.equal(r.status, 2);
  t.match(r.stderr, /script not found: no\/such\/file.ts \[ERR_SCRIPT_NOT_FOUND\]/);
  const u = spawnSync(process.execPath, [cli, 'launch'], { encoding: 'utf8' });
  t.equal(u.status, 2, 'unknown command');
  const h = spawnSync(process.execPath, [cli, 'run', '--help'], { encoding: 'utf8' });
  t.equal(h.status, 0);
  t.match(h.stdout, /--oversubscribe/);
});

t.test('--node-option passes options to node on every rank, and refuses what is not one', async (t) => {
  const script = join(root, 'test', 'ranks', 'exec-argv.ts');
  const r = spawnSync(process.execPath, [cli, 'run', '-n', '2', '--node-option=--max-old-space-size=3072', '--node-option=--stack-size=2000', script, '--node-option=x'], {
    encoding: 'utf8',
  });
  t.equal(r.status, 0, r.stderr);
  const recs = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  t.equal(recs.length, 2);
  for (const rec of recs) {
    t.ok(rec.execArgv.includes('--max-old-space-size=3072') && rec.execArgv.includes('--stack-size=2000'), `rank ${rec.rank}: ${rec.execArgv}`);
    t.ok(rec.heapLimitMiB >= 3072 && rec.heapLimitMiB < 3072 + 512, `rank ${rec.rank} heap limit ${rec.heapLimitMiB} MiB`);
    t.same(rec.args, ['--node-option=x'], 'after the script, the script\'s own arguments');
  }
  for (const bad of ['max-old-space-size=10', '', 'app.js']) {
    t.throws(() => runCommand({ np: 1, script, nodeOptions: [bad] }), { code: 'ERR_INVALID_OPTION', message: /--node-option/ }, `'${bad}'`);
  }
  const e = spawnSync(process.execPath, [cli, 'run', '--node-option=oops', script], { encoding: 'utf8' });
  t.equal(e.status, 2);
  t.match(e.stderr, /--node-option takes one option for node.*'oops' \[ERR_INVALID_OPTION\]/);
});

t.test('the exit status is the job\'s', async (t) => {
  t.equal(runRanks('exit-code.ts', 2, { args: ['3'] }).code, 3);
  t.equal(runRanks('exit-code.ts', 2, { args: ['0'] }).code, 0);
});

t.test('ranks are bound to one core each by default, and not with --bind none', async (t) => {
  const bound = runRanks('affinity.ts', 2, { args: ['a b', '$(x)'] });
  t.equal(bound.code, 0, bound.stderr);
  for (const rec of bound.records) {
    t.equal((rec.cpus as number[]).length, 1, `rank ${rec.rank} is on one core`);
    t.same(rec.args, ['a b', '$(x)'], 'arguments arrive unquoted and unexpanded');
  }
  if (availableParallelism() >= 2) {
    const cores = new Set(bound.records.map((r) => (r.cpus as number[])[0]));
    t.equal(cores.size, 2, 'distinct cores');
  }
  const r = spawnSync(process.execPath, [cli, 'run', '-n', '2', '--bind', 'none', join(root, 'test', 'ranks', 'affinity.ts')], {
    encoding: 'utf8',
  });
  t.equal(r.status, 0, r.stderr);
  for (const line of r.stdout.trim().split('\n')) {
    t.equal(JSON.parse(line).cpus.length, availableParallelism(), 'unbound ranks may use every core');
  }
  const rep = spawnSync(process.execPath, [cli, 'run', '-n', '2', '--report-bindings', join(root, 'test', 'ranks', 'world.ts')], {
    encoding: 'utf8',
  });
  t.equal(rep.status, 0, rep.stderr);
  t.match(rep.stderr, /taskloaf: rank 0 host \S+ core \d+ numa \d+ \(bound by the launcher\)/);
  t.match(rep.stderr, /taskloaf: rank 1 host/);
});
