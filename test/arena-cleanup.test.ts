import t from 'tap';
import { hostname } from 'node:os';
import { listSegments } from '../src/arena/names.js';
import { runRanks, startRanks } from './helpers/ranks.js';

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
    t.same(listSegments(`taskloaf-${job}-`), [], 'nothing left behind');
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
      t.strictSame([...(rec.mine as string[])].sort(), [`taskloaf-${job}-r0-s0`, `taskloaf-${job}-r1-s0`]);
    }
  }
  t.ok([...ra.records, ...rb.records].some((x) => x.sawOther), 'the jobs overlapped in time');
  t.same(listSegments(`taskloaf-${a}-`), []);
  t.same(listSegments(`taskloaf-${b}-`), []);
});

t.test('a new start with the same job id removes what a killed run left', async (t) => {
  const job = uniq();
  // Leftovers as if rank 0 of an earlier run had been killed before cleaning up.
  const { addon } = await import('../src/native/addon.js');
  addon().shmCreate(`taskloaf-${job}-r0-s0`, 4096, -1);
  addon().shmCreate(`taskloaf-${job}-r0-s7`, 4096, -1);
  t.equal(listSegments(`taskloaf-${job}-`).length, 2);
  const r = runRanks('arena-cleanup.ts', 1, { args: ['normal'], env: { TASKLOAF_JOB_ID: job } });
  t.equal(r.code, 0, r.stderr);
  t.equal(r.records[0]?.present, 2, 'while running, only the two segments this run made exist');
  t.same(listSegments(`taskloaf-${job}-`), []);
});
