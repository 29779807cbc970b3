// The time-limit warning (SIGUSR2 to `taskloaf run`, as Slurm's
// --signal=B:USR2@T sends it) whenever it comes: before any rank is up, while
// the ranks are still loading the program, or twice. Every rank runs each of
// its hooks exactly once and the job ends by itself.
import t from 'tap';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { cli, parseRecords, root } from './helpers/ranks.js';

const program = join(root, 'test', 'ranks', 'time-limit.ts');

/** Sockets bound to the launcher's watch address: its listener, then one per rank that said hello. */
function watchSockets(job: string): number {
  // A pathname socket in the launcher's private directory, named after the job.
  const name = new RegExp(` /\\S*/taskloaf-${job}-[^/ ]+/watch$`);
  return readFileSync('/proc/net/unix', 'utf8')
    .split('\n')
    .filter((l) => name.test(l)).length;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Warned {
  code: number | null;
  stderr: string;
  records: Record<string, unknown>[];
  /** Ranks that had said hello when the first warning was sent. */
  helloBefore: number;
  /** Warnings sent (fewer than asked when the job ended first). */
  sent: number;
}

/** Whether process `pid` catches SIGUSR2 (has a handler for it), from /proc. */
function catchesUsr2(pid: number): boolean {
  try {
    const m = /^SigCgt:\s*([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m !== null && (BigInt('0x' + m[1]) & (1n << 11n)) !== 0n; // SIGUSR2 is 12: bit 11
  } catch {
    return false;
  }
}

/** The pid of rank `rank` of job `job` (its environment names both), if it runs. */
function rankPid(job: string, rank: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let env: string[];
    try {
      env = readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0');
    } catch {
      continue;
    }
    if (env.includes(`TASKLOAF_JOB_ID=${job}`) && (env.includes(`OMPI_COMM_WORLD_RANK=${rank}`) || env.includes(`PMI_RANK=${rank}`))) return Number(entry);
  }
  return undefined;
}

/**
 * Runs time-limit.ts hooks on np ranks; warns the launcher once `when` says
 * so, `times` times; with `signalRank`, warns that rank only (as mpirun would
 * on its node), once every rank is up.
 */
async function warnedRun(t: Tap.Test, np: number, when: 'catching' | 'launcher-up' | 'ranks-up', times: number, tag: string, signalRank?: number, extra: string[] = []): Promise<Warned> {
  const job = `tlw${process.pid}${tag}`;
  const flags = ['run', '-n', String(np), ...extra];
  if (np > availableParallelism()) flags.push('--oversubscribe');
  const command = [process.execPath, cli, ...flags, program, 'hooks'];
  // Started as a job script starts it when the first moment counts: tap's
  // preload (which it puts into every child's NODE_OPTIONS) brings
  // signal-exit, which catches SIGUSR2 before our entry runs and re-raises it.
  if (when === 'catching') command.unshift('env', '-u', 'NODE_OPTIONS');
  const child = spawn(command[0]!, command.slice(1), {
    cwd: root,
    env: { ...process.env, TASKLOAF_JOB_ID: job },
  });
  t.teardown(() => void child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const closed = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  let ended = false;
  void closed.then(() => (ended = true));
  // The launcher listens for the warning before it opens the watch socket.
  const need = when === 'launcher-up' ? 1 : 1 + np;
  const deadline = Date.now() + 60_000;
  if (when === 'catching') while (!ended && !catchesUsr2(child.pid!) && Date.now() < deadline) await sleep(1);
  else while (!ended && watchSockets(job) < need && Date.now() < deadline) await sleep(5);
  const helloBefore = Math.max(0, watchSockets(job) - 1);
  const target = signalRank === undefined ? child.pid : rankPid(job, signalRank);
  t.ok(target, 'the process to warn runs');
  let sent = 0;
  for (let i = 0; i < times && !ended; i++) {
    if (target) {
      process.kill(target, 'SIGUSR2');
      sent++;
    }
    await sleep(50);
  }
  // The job ends by itself once main has seen every rank's hook; a lost
  // warning would leave it polling forever.
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const code = await closed;
  clearTimeout(timer);
  return { code, stderr, records: parseRecords(stdout), helloBefore, sent };
}

function hooksRanOnce(t: Tap.Test, r: Warned, np: number): void {
  t.equal(r.code, 0, r.stderr);
  const hooks = r.records.filter((x) => x.hook !== undefined).map((x) => x.hook as number);
  t.same(hooks.sort((a, b) => a - b), Array.from({ length: np }, (_, i) => i), 'every rank ran its hook once');
  t.ok(r.records.some((x) => x.allWarned), 'main saw every rank warned and finished');
}

// The command's entry sets its listener before loading the rest: a warning
// the moment the process can take one (while the command line still loads)
// is kept for the ranks, not fatal.
t.test('the entry point listens before it loads anything else', async (t) => {
  const entry = readFileSync(join(root, 'dist', 'cli', 'main.js'), 'utf8');
  const early = readFileSync(join(root, 'dist', 'launch', 'early-warning.js'), 'utf8');
  t.same([...entry.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]), ['../launch/early-warning.js'], 'one static import');
  t.match(entry, /keepEarlyWarnings\(\);\s+await import\('\.\/cli\.js'\);/, 'the listener, then the command line');
  t.notMatch(early, /^import /m, 'which imports nothing');
});

for (const np of [1, 2]) {
  t.test(`a warning as soon as the launcher catches it reaches all ${np} ranks`, async (t) => {
    const r = await warnedRun(t, np, 'catching', 1, `e${np}`);
    t.equal(r.helloBefore, 0, 'no rank was up yet');
    hooksRanOnce(t, r, np);
  });
}

for (const np of [1, 2, 4]) {
  t.test(`a warning before any rank is up reaches all ${np} when they are`, async (t) => {
    const r = await warnedRun(t, np, 'launcher-up', 1, `a${np}`);
    t.equal(r.helloBefore, 0, 'no rank had said hello yet');
    hooksRanOnce(t, r, np);
  });
}

for (const np of [2, 4]) {
  t.test(`a warning while ${np} ranks load the program waits for their hooks`, async (t) => {
    const r = await warnedRun(t, np, 'ranks-up', 1, `b${np}`);
    t.equal(r.helloBefore, np, 'every rank had said hello (its preload ran) before the warning');
    hooksRanOnce(t, r, np);
  });
}

t.test('a second warning runs no hook again', async (t) => {
  const r = await warnedRun(t, 2, 'ranks-up', 3, 'c');
  t.equal(r.sent, 3, 'three warnings were sent while the job ran');
  hooksRanOnce(t, r, 2);
});

// Across nodes the launcher tells only the ranks of its own node (mpirun would
// signal ranks still loading node): a rank warned passes it on over MPI.
for (const [np, nodes, rank] of [[2, 1, 1], [4, 2, 2]] as const) {
  t.test(`a warning to rank ${rank} alone reaches all ${np} ranks over MPI (${nodes} node${nodes > 1 ? 's, simulated' : ''})`, async (t) => {
    const r = await warnedRun(t, np, 'ranks-up', 1, `r${np}`, rank, nodes > 1 ? ['--simulate-nodes', String(nodes)] : []);
    hooksRanOnce(t, r, np);
  });
}
