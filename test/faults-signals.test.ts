// SIGINT or SIGTERM to `taskloaf run` (Ctrl-C, a job being cancelled) stops
// every rank: the job ends with 128 + the signal, no rank process is left and
// nothing of the job stays in /dev/shm.
import t from 'tap';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, parseRecords, root } from './helpers/ranks.js';
import { alive } from './helpers/procs.js';
import { jobComponent, jobPrefix, parseSegmentName } from '../src/arena/names.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  for (const np of [2, 4]) {
    t.test(`${sig} to taskloaf run stops all ${np} ranks`, async (t) => {
      const job = `sig${process.pid}${sig}${np}`;
      const args = [cli, 'run', '-n', String(np), ...(np > 2 ? ['--oversubscribe'] : []), join(root, 'test', 'ranks', 'dies.ts'), 'none'];
      const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, TASKLOAF_JOB_ID: job } });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      const closed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
      // Signal once every rank is up and busy with its tasks.
      for (let i = 0; i < 300 && parseRecords(out).filter((x) => x.pid !== undefined && x.rank !== undefined).length < np; i++) await sleep(100);
      const pids = parseRecords(out).filter((x) => x.rank !== undefined && x.pid !== undefined).map((x) => x.pid as number);
      t.equal(pids.length, np, 'every rank started');
      heldSegments(t, await held(() => out, np), job, np);
      await sleep(300);
      child.kill(sig);
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([closed, new Promise<'hung'>((r) => (timer = setTimeout(() => r('hung'), 30_000)))]);
      clearTimeout(timer);
      t.not(code, 'hung', 'the job ended');
      if (code === 'hung') child.kill('SIGKILL');
      t.equal(code, sig === 'SIGINT' ? 130 : 143, 'with 128 + the signal');
      for (let i = 0; i < 30 && pids.some(alive); i++) await sleep(100);
      t.same(pids.filter(alive), [], 'no rank process left');
      t.same(readdirSync('/dev/shm').filter((n) => n.startsWith(jobPrefix(job))), [], 'nothing left in /dev/shm');
      t.notOk(parseRecords(out).some((x) => x.survived), 'the run did not go on to finish');
      t.match(err, `taskloaf: stopped by ${sig}; every rank was ended`);
      t.notMatch(err, /died:/, 'no rank is blamed for it');
    });
  }
}

/** The ranks' records of the segments they made, once all np are in (or what came in 30 s). */
async function held(out: () => string, np: number): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < 300 && parseRecords(out()).filter((x) => x.held !== undefined).length < np; i++) await sleep(100);
  return parseRecords(out()).filter((x) => x.held !== undefined);
}

/** Every rank had a segment of its own in /dev/shm, so "nothing left" below means it was removed. */
function heldSegments(t: Tap.Test, recs: Record<string, unknown>[], job: string, np: number): void {
  t.strictSame(recs.map((x) => x.held).sort(), Array.from({ length: np }, (_, i) => i), 'every rank kept a table in its arena');
  for (const r of recs) {
    const names = r.segments as string[];
    t.ok(names.length >= 1 && names.every((n) => parseSegmentName(n)?.job === jobComponent(job) && parseSegmentName(n)?.rank === r.held), `rank ${r.held} had its own segment (${names.join(', ')})`);
  }
}

/** Processes whose parent is `pid`. */
function children(pid: number): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((p) => {
      try {
        return Number(readFileSync(`/proc/${p}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1]) === pid;
      } catch {
        return false;
      }
    });
}

// SIGKILL cannot be caught: the launcher goes without a word, and its ranks
// (holding a socket to it) end themselves instead of spinning on forever.
for (const np of [2, 4]) {
  t.test(`SIGKILL to taskloaf run: all ${np} ranks end by themselves`, async (t) => {
    const job = `sigkill${process.pid}x${np}`;
    const args = [cli, 'run', '-n', String(np), ...(np > 2 ? ['--oversubscribe'] : []), join(root, 'test', 'ranks', 'dies.ts'), 'none'];
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, TASKLOAF_JOB_ID: job } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stdout.on('error', () => {});
    const closed = new Promise<void>((r) => child.on('close', () => r()));
    for (let i = 0; i < 300 && parseRecords(out).filter((x) => x.pid !== undefined && x.rank !== undefined).length < np; i++) await sleep(100);
    const pids = parseRecords(out).filter((x) => x.rank !== undefined && x.pid !== undefined).map((x) => x.pid as number);
    t.equal(pids.length, np, 'every rank started');
    heldSegments(t, await held(() => out, np), job, np);
    const launcher = children(child.pid!);
    t.equal(launcher.length, 1, 'taskloaf run has started mpiexec');
    child.kill('SIGKILL');
    await closed;
    for (let i = 0; i < 300 && [...pids, ...launcher].some(alive); i++) await sleep(100);
    t.same(pids.filter(alive), [], 'no rank process left');
    t.same(launcher.filter(alive), [], 'nor mpiexec');
    t.same(readdirSync('/dev/shm').filter((n) => n.startsWith(jobPrefix(job))), [], 'nothing of the ranks left in /dev/shm');
    t.notOk(parseRecords(out).some((x) => x.survived), 'the run did not go on to finish');
  });
}
