import t from 'tap';
import { hostname } from 'node:os';
import { jobPrefix, listSegments, newRunId, segmentName } from '../src/arena/names.js';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { findLauncher, localCommand } from '../src/launch/mpiexec.js';
import { parseRecords, root, runRanks, startRanks } from './helpers/ranks.js';

const uniq = () => `t${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

const CASES = { normal: 'a normal exit', throw: 'a thrown error', term: 'SIGTERM of one rank', kill: 'SIGKILL of one rank' };
for (const how of Object.keys(CASES) as (keyof typeof CASES)[]) {
  t.test(`no segment is left in /dev/shm after ${CASES[how]}`, async (t) => {
    const job = uniq();
    const r = runRanks('arena-cleanup.ts', 2, { args: [how], env: { TASKLOAF_JOB_ID: job }, timeoutMs: 60_000 });
    t.equal(r.code === 0, how === 'normal', `exit status ${r.code}`);
    t.not(r.code, null, 'the job ended by itself');
    t.equal(r.records.length, 2, 'both ranks made their segments');
    for (const rec of r.records) t.ok(Number(rec.present) >= 4, `rank ${rec.rank} saw the job's segments (${rec.present})`);
    t.same(listSegments(jobPrefix(job)), [], 'nothing left behind');
    if (how === 'throw') t.match(r.stderr, `uncaught exception on rank 1 on ${hostname()}`);
  });
}

t.test('two jobs at once on one node do not see each other\'s segments', async (t) => {
  const [a, b] = [uniq() + 'a', uniq() + 'b'];
  const [ra, rb] = await Promise.all([
    startRanks('concurrent-job.ts', 2, { env: { TASKLOAF_JOB_ID: a } }),
    startRanks('concurrent-job.ts', 2, { env: { TASKLOAF_JOB_ID: b } }),
  ]);
  t.equal(ra.code, 0, ra.stderr);
  t.equal(rb.code, 0, rb.stderr);
  for (const [run, job] of [[ra, a], [rb, b]] as const) {
    for (const rec of run.records) {
      t.equal(rec.job, job);
      // Each rank's one 1 MiB segment, both seen once both exist (after the barrier), and no other name.
      const run = rec.run as string;
      t.strictSame([...(rec.mine as string[])].sort(), [segmentName(job, run, 0, 0), segmentName(job, run, 1, 0)]);
    }
  }
  t.ok([...ra.records, ...rb.records].some((x) => x.sawOther), 'the jobs overlapped in time');
  t.same(listSegments(jobPrefix(a)), []);
  t.same(listSegments(jobPrefix(b)), []);
});

t.test('a new start with the same job and run ids removes what a killed start left', async (t) => {
  const job = uniq();
  const run = newRunId();
  // Leftovers as if rank 0 of an earlier start of this run had been killed before cleaning up.
  const { addon } = await import('../src/native/addon.js');
  addon().shmCreate(segmentName(job, run, 0, 0), 4096, -1);
  addon().shmCreate(segmentName(job, run, 0, 7), 4096, -1);
  t.equal(listSegments(jobPrefix(job)).length, 2);
  // Plain mpiexec (taskloaf run always makes a new run id): the ranks take the given one.
  const program = [process.execPath, '--import', 'tsx', join(root, 'test', 'ranks', 'arena-cleanup.ts'), 'normal'];
  const env = { ...process.env, NODE_OPTIONS: '', TASKLOAF_JOB_ID: job, TASKLOAF_RUN_ID: run };
  const cmd = localCommand(findLauncher(), { np: 1, oversubscribe: false, bind: 'none', tcp: false, program }, env);
  const r = spawnSync(cmd.command, cmd.args, { cwd: root, env: cmd.env, encoding: 'utf8', timeout: 120_000 });
  t.equal(r.status, 0, r.stderr);
  const rec = parseRecords(r.stdout)[0];
  t.equal(rec?.run, run, 'the ranks took the run id given');
  t.equal(rec?.present, 2, 'while running, only the two segments this start made exist');
  t.same(listSegments(jobPrefix(job)), []);
});
