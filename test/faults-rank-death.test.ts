// A rank that dies mid-run ends the whole job promptly: non-zero, one line
// naming the rank and host, no process left, no shared memory left.
// TASKLOAF_DEATH_RUNS=100 repeats the SIGKILL case (the documented long run).
import t from 'tap';
import { readdirSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { runRanks } from './helpers/ranks.js';
import { alive } from './helpers/procs.js';
import { jobComponent, jobPrefix, listSegments, parseSegmentName } from '../src/arena/names.js';


// Open MPI says which signal; MPICH's Hydra may name another process, so there
// the watch alone names the rank.
const SIGNALLED = (n: number, name: string) =>
  new RegExp(`rank (\\d+) on (\\S+) \\(pid \\d+\\) died: (signal ${n} \\(${name}\\)|killed by a signal or crashed); the job was ended`);
const causes: [string, RegExp][] = [
  ['sigkill', SIGNALLED(9, 'Killed')],
  ['segv', SIGNALLED(11, 'Segmentation fault')],
  ['abort', SIGNALLED(6, 'Aborted')],
  ['sigterm', /rank (\d+) on (\S+) \(pid \d+\) (died: signal 15 \(SIGTERM\)|ended with exit code 143); the job was ended/],
  ['exit0', /rank (\d+) on (\S+) exited with code 0 inside run\(\), before every rank had finished .*; ending the job/],
  ['exit3', /rank (\d+) on (\S+) exited with code 3 inside run\(\), before every rank had finished .*; ending the job/],
];

let serial = 0;

function ownedBy(path: string, uid: number | undefined): boolean {
  try {
    return uid === undefined || statSync(path).uid === uid;
  } catch {
    return false; // gone meanwhile
  }
}
function dieOnce(t: Tap.Test, how: string, np: number, re: RegExp) {
  const job = `death${process.pid}x${serial++}`;
  const victim = np - 1;
  const shmBefore = new Set(readdirSync('/dev/shm'));
  const r = runRanks('dies.ts', np, { args: [how, String(victim)], env: { TASKLOAF_JOB_ID: job }, timeoutMs: 60_000 });
  const ended = Date.now();
  t.not(r.code, null, 'the job ended by itself (no hang)');
  t.not(r.code, 0, 'non-zero');
  const dying = r.records.find((x) => x.dying !== undefined);
  t.ok(dying, 'the victim got to its task');
  // How soon the rest end is a figure for test/LONG-RUNS.md, not a threshold here: the job ending by itself is the behaviour.
  if (dying) t.comment(`the rest ended ${ended - (dying.at as number)} ms after the death`);
  const held = r.records.filter((x) => x.held !== undefined);
  t.strictSame(held.map((x) => x.held).sort(), Array.from({ length: np }, (_, i) => i), 'every rank kept a table in its arena first');
  for (const h of held) {
    const names = h.segments as string[];
    t.ok(names.length >= 1 && names.every((n) => parseSegmentName(n)?.job === jobComponent(job) && parseSegmentName(n)?.rank === h.held), `rank ${h.held} had its own segment (${names.join(', ')})`);
  }
  const m = re.exec(r.stderr);
  t.ok(m, `the report names the rank and host (${how})`);
  if (m) {
    t.equal(Number(m[1]), victim, 'the dead rank');
    t.equal(m[2], hostname(), 'its host');
  }
  t.notOk(r.records.some((x) => x.survived), 'nobody carried on as if nothing happened');
  const pids = r.records.filter((x) => x.pid !== undefined && x.rank !== undefined).map((x) => x.pid as number);
  t.equal(pids.length, np, 'every rank started');
  // Killing is asynchronous: give the launcher's last SIGKILLs a moment to land.
  for (let i = 0; i < 30 && pids.some(alive); i++) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  t.same(pids.filter(alive), [], 'no rank process left behind');
  t.same(listSegments(jobPrefix(job)), [], 'nothing of ours left in /dev/shm');
  const mpiFiles = (r.records.filter((x) => x.ompiJob) as { ompiJob: string }[]).map((x) => x.ompiJob);
  t.same(readdirSync('/dev/shm').filter((n) => mpiFiles.some((j) => n.includes(`.${j}.`))), [], "nor Open MPI's shared-memory files of the job");
  // Whatever the MPI names its files (MPICH's are unlinked once mapped and never show): nothing new of
  // ours stays. Open MPI's files of other jobs (a run beside this one) carry their own job id and are not this job's.
  const uid = process.getuid?.();
  const othersOmpi = (n: string) => n.startsWith('vader_segment.') && !mpiFiles.some((j) => n.includes(`.${j}.`));
  const left = readdirSync('/dev/shm').filter((n) => !shmBefore.has(n) && !n.startsWith('taskloaf-') && !othersOmpi(n) && ownedBy(`/dev/shm/${n}`, uid));
  t.same(left, [], 'no other file the job made is left in /dev/shm');
}

// Every cause at 2 ranks; at 4 (oversubscribed) one of each kind: a signal
// from outside, a crash inside, an exit inside run().
const AT_FOUR = new Set(['sigkill', 'segv', 'exit0']);
for (const np of [2, 4]) {
  for (const [how, re] of causes) {
    if (np === 4 && !AT_FOUR.has(how)) continue;
    t.test(`${how} on one of ${np} ranks ends the job`, async (t) => dieOnce(t, how, np, re));
  }
}

t.test('SIGKILL, again and again: no hang', async (t) => {
  const runs = Number(process.env.TASKLOAF_DEATH_RUNS ?? 2);
  for (let i = 0; i < runs; i++) dieOnce(t, 'sigkill', 2, causes[0]![1]);
});
