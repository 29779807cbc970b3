// Names in /dev/shm on a shared node: another local user plants what a
// victim's job id predicts (the ledger at its old path, as a file naming Open
// MPI files of the victim's, or as a FIFO; segment names in the old form and
// guesses at the new one) before the victim's job starts. Each attack passes
// only when the job ends with the right answer, the victim's unrelated files
// and process live, the attacker's files are left as they were, and nothing
// of the job is left in /dev/shm or /tmp.
import t from 'tap';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type ChildProcess } from 'node:child_process';
import { cli, parseRecords, root } from './helpers/ranks.js';
import { alive } from './helpers/procs.js';
import { cannotRun, localUser, ownedBy, runAs, spawnAs, userEnv, type LocalUser } from './helpers/local-users.js';
import { jobComponent, jobIdFromEnv, newRunId, segmentName } from '../src/arena/names.js';

if (cannotRun) throw new Error(cannotRun);

const victim = localUser('tlnm-victim');
const attacker = localUser('tlnm-attacker');
const program = join(root, 'test', 'ranks', 'hold-names.ts');
// tap puts its preload into every child's NODE_OPTIONS; the other users' node
// processes must not load it (it writes into this tree).
const node = (args: string[]) => ['-u', 'NODE_OPTIONS', process.execPath, ...args];

let n = 0;
const jobId = () => `tlnm${process.pid}x${n++}`;

/** Runs a shell script as `user`; fails the test if it fails. */
function sh(t: Tap.Test, user: LocalUser, script: string): void {
  const r = runAs(user, 'sh', ['-c', script]);
  t.equal(r.status, 0, `${user.name}: ${script}\n${r.stderr}`);
}

/** A process of the victim's that has nothing to do with the job. */
function bystander(t: Tap.Test): number {
  const child = spawnAs(victim, 'sleep', ['600'], { stdio: 'ignore' });
  t.teardown(() => void child.kill('SIGKILL'));
  return child.pid!;
}

/** Files the attacker plants in /dev/shm; removed (as root) when the test ends. */
function plant(t: Tap.Test, files: Record<string, string | 'fifo'>): Record<string, string | 'fifo'> {
  t.teardown(() => {
    for (const f of Object.keys(files)) rmSync(join('/dev/shm', f), { force: true });
  });
  for (const [f, content] of Object.entries(files)) {
    const path = join('/dev/shm', f);
    sh(t, attacker, content === 'fifo' ? `mkfifo '${path}'` : `printf '%s' '${content}' > '${path}'`);
  }
  return files;
}

function untouched(t: Tap.Test, files: Record<string, string | 'fifo'>): void {
  for (const [f, content] of Object.entries(files)) {
    const path = join('/dev/shm', f);
    let st;
    try {
      st = statSync(path);
    } catch {
      t.fail(`the attacker's ${f} was removed`);
      continue;
    }
    t.equal(st.uid, attacker.uid, `the attacker's ${f} is still theirs`);
    if (content === 'fifo') t.ok(st.isFIFO(), `${f} is still a FIFO`);
    else t.equal(readFileSync(path, 'utf8'), content, `${f} is as it was`);
  }
}

interface Ended {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The victim's job: `taskloaf run -n 2` of hold-names.ts, as the victim. */
function victimJob(t: Tap.Test, env: Record<string, string>): Promise<Ended> {
  const launcher: ChildProcess = spawnAs(victim, 'env', node([cli, 'run', '-n', '2', program]), { cwd: victim.home, env: userEnv(victim, env) });
  t.teardown(() => void launcher.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  launcher.stdout!.on('data', (d) => (stdout += d));
  launcher.stderr!.on('data', (d) => (stderr += d));
  // A launcher blocked on a planted FIFO would never end: the test ends it, and fails.
  const timer = setTimeout(() => launcher.kill('SIGKILL'), 120_000);
  return new Promise((res) =>
    launcher.on('close', (code) => {
      clearTimeout(timer);
      res({ code, stdout, stderr });
    }),
  );
}

/** The job ended well: both ranks held their run's names and kept them and their data. */
function rightAnswer(t: Tap.Test, r: Ended, job: string): void {
  t.equal(r.code, 0, `the victim's job ends well\n${r.stderr}`);
  const records = parseRecords(r.stdout);
  const run = records.find((x) => x.run)?.run as string | undefined;
  t.match(run, /^[0-9a-f]{32}$/, 'the job had a random run id');
  const own = [segmentName(job, run ?? '0'.repeat(32), 0, 0), segmentName(job, run ?? '0'.repeat(32), 1, 0)];
  t.strictSame(records.filter((x) => x.holding).map((x) => x.holding), [own, own], 'each rank saw its run\'s two names');
  t.strictSame(records.filter((x) => x.kept).map((x) => [x.kept, x.intact]), [[own, true], [own, true]], 'and both kept them, data intact');
}

/** What an attacker can predict of a job's names: the old form, and guesses at the new one. */
function predicted(job: string): Record<string, string> {
  const guess = '0'.repeat(32);
  return {
    [`taskloaf-${job}-r0-s0`]: 'planted',
    [`taskloaf-${job}-r1-s0`]: 'planted',
    [`taskloaf-${job}-r0-s1`]: 'planted',
    [segmentName(job, guess, 0, 0)]: 'planted',
    [segmentName(job, newRunId(), 1, 0)]: 'planted',
  };
}

async function attackedJob(t: Tap.Test, job: string, env: Record<string, string>, ledger: string | 'fifo'): Promise<void> {
  const sleeper = bystander(t);
  // An Open MPI file of the victim's that no job of theirs running now owns.
  const ompi = (0x7ead0000 + n).toString(16);
  const theirs = `vader_segment.elsewhere.${ompi}.0`;
  t.teardown(() => rmSync(join('/dev/shm', theirs), { force: true }));
  sh(t, victim, `: > '/dev/shm/${theirs}'`);
  const planted = plant(t, {
    [`taskloaf-${job}.ledger`]: ledger === 'fifo' ? 'fifo' : ledger.replaceAll('OMPI', ompi),
    ...predicted(job),
    [`taskloaf-${jobComponent(job)}-`]: 'planted',
  });
  const r = await victimJob(t, env);
  rightAnswer(t, r, job);
  t.ok(alive(sleeper), "the victim's unrelated process lives");
  t.ok(existsSync(join('/dev/shm', theirs)), "the victim's Open MPI file of another job stays");
  untouched(t, planted);
  t.same(ownedBy(victim, '/dev/shm').filter((f) => f !== theirs), [], "nothing of the victim's job is left in /dev/shm");
  t.same(ownedBy(victim, '/tmp', /^taskloaf-/), [], "the job's private directory is gone");
}

const crafted = 'start 0 1 elsewhere OMPI\nstart 1 1 elsewhere OMPI\nexit 0\n';

t.test('a planted ledger naming Open MPI files of the victim, and planted segment names', async (t) => {
  const job = jobId();
  await attackedJob(t, job, { TASKLOAF_JOB_ID: job }, crafted);
});

t.test('a FIFO at the ledger path does not block the job or its end', async (t) => {
  const job = jobId();
  await attackedJob(t, job, { TASKLOAF_JOB_ID: job }, 'fifo');
});

t.test('a job id from Slurm is just as predictable, and just as safe', async (t) => {
  // A Slurm-like job (id and step) outside any allocation: the job id comes from the scheduler's variables.
  const slurm = { SLURM_JOB_ID: String(700000 + (process.pid % 100000) * 10 + n), SLURM_STEP_ID: '0', TASKLOAF_ALLOCATION: 'none' };
  const job = jobIdFromEnv(slurm)!;
  t.match(job, /^slurm\d+\.0$/, `the job id the attacker predicts: ${job}`);
  // Open MPI must not take the variables for an allocation of its own.
  await attackedJob(t, job, { ...slurm, OMPI_MCA_plm: '^slurm', OMPI_MCA_ras: '^slurm', OMPI_MCA_ess: '^slurm' }, crafted);
});
