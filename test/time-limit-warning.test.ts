// The time-limit warning (SIGUSR2 to `taskloaf run`, as Slurm's
// --signal=B:USR2@T sends it) whenever it comes: before any rank is up, while
// the ranks are still loading the program, or twice. Every rank runs each of
// its hooks exactly once and the job ends by itself.
import t from 'tap';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { cli, parseRecords, root } from './helpers/ranks.js';

const program = join(root, 'test', 'ranks', 'time-limit.ts');

/** Sockets bound to the launcher's watch address: its listener, then one per rank that said hello. */
function watchSockets(job: string): number {
  // Node binds abstract names padded with NULs, which the kernel shows as '@'.
  const name = new RegExp(` @taskloaf-${job}-watch@*$`);
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
}

/** Runs time-limit.ts hooks on np ranks; warns the launcher once `when` says so, `times` times. */
async function warnedRun(t: Tap.Test, np: number, when: 'launcher-up' | 'ranks-up', times: number, tag: string): Promise<Warned> {
  const job = `tlw${process.pid}${tag}`;
  const flags = ['run', '-n', String(np)];
  if (np > availableParallelism()) flags.push('--oversubscribe');
  const child = spawn(process.execPath, [cli, ...flags, program, 'hooks'], {
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
  while (!ended && watchSockets(job) < need && Date.now() < deadline) await sleep(5);
  const helloBefore = Math.max(0, watchSockets(job) - 1);
  for (let i = 0; i < times && !ended; i++) {
    child.kill('SIGUSR2');
    await sleep(50);
  }
  // The job ends by itself once main has seen every rank's hook; a lost
  // warning would leave it polling forever.
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const code = await closed;
  clearTimeout(timer);
  return { code, stderr, records: parseRecords(stdout), helloBefore };
}

function hooksRanOnce(t: Tap.Test, r: Warned, np: number): void {
  t.equal(r.code, 0, r.stderr);
  const hooks = r.records.filter((x) => x.hook !== undefined).map((x) => x.hook as number);
  t.same(hooks.sort((a, b) => a - b), Array.from({ length: np }, (_, i) => i), 'every rank ran its hook once');
  t.ok(r.records.some((x) => x.allWarned), 'main saw every rank warned and finished');
}

for (const np of [1, 2, 4]) {
  t.test(`a warning before any rank is up reaches all ${np} when they are`, async (t) => {
    const r = await warnedRun(t, np, 'launcher-up', 1, `a${np}`);
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
  hooksRanOnce(t, r, 2);
});
