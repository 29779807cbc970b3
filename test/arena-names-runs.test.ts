// Runs that share a job id, or whose job ids share a prefix, never touch each
// other's segments: one run holds its names while the other starts, works and
// ends (its launcher sweeping after it), then finds them all still there.
import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobPrefix, listSegments, segmentName } from '../src/arena/names.js';
import { cli, parseRecords, root, runRanks, type RankRun } from './helpers/ranks.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const uniq = () => `nm${process.pid}x${Date.now().toString(36)}`;

interface Held {
  /** Resolves once every rank holds its segment. */
  holding: Promise<Record<string, unknown>[]>;
  ended: Promise<RankRun>;
}

/** Starts a 2-rank job of hold-names.ts that holds its names until `gate` exists. */
function hold(job: string, gate: string): Held {
  const child = spawn(process.execPath, [cli, 'run', '-n', '2', join(root, 'test', 'ranks', 'hold-names.ts'), gate], {
    cwd: root,
    env: { ...process.env, TASKLOAF_JOB_ID: job },
  });
  let stdout = '';
  let stderr = '';
  let done = false;
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
  const ended = new Promise<RankRun>((resolve) =>
    child.on('close', (code) => {
      done = true;
      clearTimeout(timer);
      resolve({ code, stdout, stderr, records: parseRecords(stdout) });
    }),
  );
  const holding = (async () => {
    while (!done && parseRecords(stdout).filter((x) => x.holding).length < 2) await sleep(20);
    return parseRecords(stdout).filter((x) => x.holding);
  })();
  return { holding, ended };
}

/** Both ranks of a run held their own two names and kept them, data intact. */
function heldOwn(t: Tap.Test, r: RankRun, job: string): void {
  t.equal(r.code, 0, `the job ends well\n${r.stderr}`);
  const runs = new Set(r.records.filter((x) => x.run).map((x) => x.run as string));
  t.equal(runs.size, 1, 'one run id on every rank');
  const run = [...runs][0] ?? '';
  t.match(run, /^[0-9a-f]{32}$/, 'a random run id');
  const own = [segmentName(job, run, 0, 0), segmentName(job, run, 1, 0)];
  for (const x of r.records.filter((x) => x.holding)) t.strictSame(x.holding, own, `rank ${x.rank} saw its run's names and no other`);
  const after = r.records.filter((x) => x.kept);
  t.equal(after.length, 2, 'both ranks looked again at the end');
  for (const x of after) {
    t.strictSame(x.kept, own, 'every name is still there');
    t.equal(x.intact, true, 'and the data in it');
  }
}

async function beside(t: Tap.Test, held: string, other: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'taskloaf-gate-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const gate = join(dir, 'release');
  const a = hold(held, gate);
  const holding = await a.holding;
  t.equal(holding.length, 2, 'the first job holds its names');
  // The second job starts, works and ends while the first holds its names.
  const b = runRanks('hold-names.ts', 2, { env: { TASKLOAF_JOB_ID: other }, timeoutMs: 120_000 });
  heldOwn(t, b, other);
  t.not(b.records.find((x) => x.run)?.run, holding[0]?.run, 'the runs have different run ids');
  writeFileSync(gate, '');
  heldOwn(t, await a.ended, held);
  t.same(listSegments(jobPrefix(held)), [], 'nothing of the first job is left');
  t.same(listSegments(jobPrefix(other)), [], 'nothing of the second job is left');
}

t.test('two runs with one job id never meet', async (t) => {
  const job = uniq();
  await beside(t, job, job);
});

t.test("a job whose id is a prefix of another's never sweeps the other's names", async (t) => {
  const job = uniq();
  // `<job>` ends and sweeps while `<job>-2` holds its names.
  await beside(t, `${job}-2`, job);
});

t.test('two runs with one job id at once, both busy: both end well, nothing left', async (t) => {
  const job = uniq();
  const dir = mkdtempSync(join(tmpdir(), 'taskloaf-gate-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const gate = join(dir, 'release');
  const [a, b] = [hold(job, gate), hold(job, gate)];
  const [ha, hb] = await Promise.all([a.holding, b.holding]);
  t.equal(ha.length + hb.length, 4, 'both hold their segments at the same time');
  t.equal(listSegments(jobPrefix(job)).length, 4, "both runs' names exist side by side");
  writeFileSync(gate, '');
  const [ra, rb] = await Promise.all([a.ended, b.ended]);
  heldOwn(t, ra, job);
  heldOwn(t, rb, job);
  t.same(listSegments(jobPrefix(job)), [], 'nothing left');
});
