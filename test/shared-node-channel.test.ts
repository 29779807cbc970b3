// The channel between `taskloaf run` and its ranks on a shared node: another
// local user attacks a victim's job through it. Each attack passes only when
// the victim's job ends with the right answer, the victim's unrelated process
// lives, and nothing of the victim's is left in /dev/shm or /tmp.
import t from 'tap';
import { chownSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ChildProcess } from 'node:child_process';
import { cli, parseRecords, root } from './helpers/ranks.js';
import { alive } from './helpers/procs.js';
import { cannotRun, localUser, ownedBy, spawnAs, userEnv, type LocalUser } from './helpers/local-users.js';

if (cannotRun) throw new Error(cannotRun);

const victim = localUser('tlch-victim');
const attacker = localUser('tlch-attacker');
const program = join(root, 'test', 'ranks', 'shared-node-victim.ts');
const attackScript = join(root, 'test', 'scripts', 'watch-attacker.mjs');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// tap puts its preload into every child's NODE_OPTIONS; the other users' node
// processes must not load it (it writes into this tree).
const node = (args: string[]) => ['-u', 'NODE_OPTIONS', process.execPath, ...args];

/** Sockets named after the job in /proc/net/unix, in any form: its listener and one per rank connected. */
function channelSockets(job: string): number {
  return readFileSync('/proc/net/unix', 'utf8')
    .split('\n')
    .filter((l) => l.includes(`taskloaf-${job}-`)).length;
}

/** Lines of JSON a process prints, as they come. */
function jsonLines(child: ChildProcess): { next(): Promise<Record<string, unknown>> } {
  const queue: Record<string, unknown>[] = [];
  const waiting: ((v: Record<string, unknown>) => void)[] = [];
  let partial = '';
  child.stdout!.on('data', (d) => {
    const lines = (partial + d).split('\n');
    partial = lines.pop()!;
    for (const l of lines) {
      const v = JSON.parse(l) as Record<string, unknown>;
      const w = waiting.shift();
      if (w) w(v);
      else queue.push(v);
    }
  });
  return { next: () => (queue.length ? Promise.resolve(queue.shift()!) : new Promise((r) => waiting.push(r))) };
}

function attack(t: Tap.Test, ...args: string[]): { child: ChildProcess; next(): Promise<Record<string, unknown>> } {
  const child = spawnAs(attacker, 'env', node([attackScript, ...args]), { stdio: ['pipe', 'pipe', 'inherit'] });
  t.teardown(() => void child.kill('SIGKILL'));
  return { child, ...jsonLines(child) };
}

/** A process of the victim's that has nothing to do with the job. */
function bystander(t: Tap.Test): number {
  const child = spawnAs(victim, 'sleep', ['600'], { stdio: 'ignore' });
  t.teardown(() => void child.kill('SIGKILL'));
  return child.pid!;
}

interface Job {
  launcher: ChildProcess;
  ended: Promise<{ code: number | null; stdout: string; stderr: string }>;
  isEnded(): boolean;
}

function victimJob(t: Tap.Test, job: string, args: string[] = [], env: Record<string, string> = {}, flags: string[] = []): Job {
  const launcher = spawnAs(victim, 'env', node([cli, 'run', '-n', '2', ...flags, program, ...args]), {
    cwd: victim.home,
    env: userEnv(victim, { TASKLOAF_JOB_ID: job, ...env }),
  });
  t.teardown(() => void launcher.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  let done = false;
  launcher.stdout!.on('data', (d) => (stdout += d));
  launcher.stderr!.on('data', (d) => (stderr += d));
  const ended = new Promise<{ code: number | null; stdout: string; stderr: string }>((res) =>
    launcher.on('close', (code) => {
      done = true;
      res({ code, stdout, stderr });
    }),
  );
  const timer = setTimeout(() => launcher.kill('SIGKILL'), 120_000);
  void ended.then(() => clearTimeout(timer));
  return { launcher, ended, isEnded: () => done };
}

/** Waits until both ranks are connected to the launcher, or the job ended. */
async function ranksUp(job: string, j: Job): Promise<void> {
  while (!j.isEnded() && channelSockets(job) < 3) await sleep(20);
}

async function victimIntact(t: Tap.Test, job: string, j: Job, sleeper: number): Promise<void> {
  const r = await j.ended;
  t.equal(r.code, 0, `the victim's job ends well\n${r.stderr}`);
  const records = parseRecords(r.stdout);
  t.same(records.filter((x) => x.hook !== undefined).map((x) => x.hook).sort(), [0, 1], 'each rank ran its hook once');
  t.ok(records.some((x) => x.allWarned === 2), 'main saw both ranks warned');
  t.ok(alive(sleeper), "the victim's unrelated process lives");
  t.same(ownedBy(victim, '/dev/shm'), [], "nothing of the victim's is left in /dev/shm");
  t.same(ownedBy(victim, '/tmp', new RegExp(`^taskloaf-${job}-`)), [], "the job's private directory is gone");
}

let n = 0;
const jobId = () => `tlch${process.pid}x${n++}`;

t.test('a squatter of the job-id name gets no rank and the job runs', async (t) => {
  const job = jobId();
  const sleeper = bystander(t);
  const squat = attack(t, 'squat', job);
  t.same(await squat.next(), { bound: `taskloaf-${job}-watch` }, 'the attacker holds the name of the old channel');
  const j = victimJob(t, job);
  await ranksUp(job, j);
  if (!j.isEnded()) process.kill(j.launcher.pid!, 'SIGUSR2');
  await victimIntact(t, job, j, sleeper);
});

t.test("a fake hello naming the victim's process gets it no signal", async (t) => {
  const job = jobId();
  const sleeper = bystander(t);
  const j = victimJob(t, job);
  await ranksUp(job, j);
  const a = attack(t, 'hello', job, String(sleeper));
  const report = await a.next();
  t.equal(report.reached, 0, `the attacker reaches no channel (found ${report.found}, refused: ${report.refused})`);
  // The scheduler's time-limit warning, which the launcher passes to its ranks.
  process.kill(j.launcher.pid!, 'SIGUSR2');
  await victimIntact(t, job, j, sleeper);
});

t.test('a flood of warned lines does not requeue before the hooks ran', async (t) => {
  const job = jobId();
  const sleeper = bystander(t);
  const gate = mkdtempSync(join('/tmp', 'tlch-gate-'));
  t.teardown(() => rmSync(gate, { recursive: true, force: true }));
  mkdirSync(join(gate, 'bin'));
  // A stand-in for scontrol: notes each requeue and how many hooks had run by then.
  writeFileSync(join(gate, 'bin', 'scontrol'), `#!/bin/sh\necho "$* $(ls ${gate} | grep -c '^hook-')" >> ${gate}/requeue.log\n`);
  chmodSync(join(gate, 'bin', 'scontrol'), 0o755);
  for (const p of [gate, join(gate, 'bin'), join(gate, 'bin', 'scontrol')]) chownSync(p, victim.uid, victim.gid);
  const j = victimJob(
    t,
    job,
    [gate],
    { TASKLOAF_REQUEUE: '1', TASKLOAF_REQUEUE_GRACE: '600', SLURM_JOB_ID: '4242', PATH: `${join(gate, 'bin')}:${process.env.PATH}` },
    ['--launcher', 'local'],
  );
  await ranksUp(job, j);
  const a = attack(t, 'warned', job, String(sleeper));
  const report = await a.next();
  t.equal(report.reached, 0, `the attacker reaches no channel (found ${report.found}, refused: ${report.refused})`);
  process.kill(j.launcher.pid!, 'SIGUSR2');
  if (report.reached) {
    a.child.stdin!.write('go\n');
    await a.next();
  }
  // The hooks end only now: a requeue before this point came from the flood.
  writeFileSync(join(gate, 'release'), '');
  await victimIntact(t, job, j, sleeper);
  t.equal(existsSync(join(gate, 'requeue.log')) ? readFileSync(join(gate, 'requeue.log'), 'utf8') : '', 'requeue 4242 2\n', 'one requeue, once both hooks had run');
});

t.test('a line without end is cut off and the job runs', async (t) => {
  const job = jobId();
  const sleeper = bystander(t);
  const j = victimJob(t, job);
  await ranksUp(job, j);
  const a = attack(t, 'nonl', job);
  const report = await a.next();
  t.ok(report.reached === 0 || report.dropped, `the attacker's 64 MiB line is not taken (reached ${report.reached}, wrote ${report.wrote}, dropped ${report.dropped})`);
  t.equal(report.reached, 0, `the attacker reaches no channel (found ${report.found}, refused: ${report.refused})`);
  process.kill(j.launcher.pid!, 'SIGUSR2');
  await victimIntact(t, job, j, sleeper);
});
