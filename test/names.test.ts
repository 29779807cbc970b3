// Segment names: built from the job id escaped injectively and the run's
// random id, with a separator no component holds; parsed back; within the
// native layer's rules; and swept only when a whole component matches and the
// name is a regular file of this user.
import t from 'tap';
import { chownSync, existsSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import {
  jobComponent,
  jobFromComponent,
  jobPrefix,
  listSegments,
  newRunId,
  ownedFile,
  parseSegmentName,
  runPrefix,
  segmentName,
  sweep,
} from '../src/arena/names.js';
import { addon } from '../src/native/addon.js';

const SHM_NAME = /^[A-Za-z0-9._-]{1,200}$/;
const uniq = () => `nm${process.pid}${Date.now().toString(36)}`;

t.test('run ids are fresh and 128 random bits', async (t) => {
  const ids = new Set(Array.from({ length: 100 }, newRunId));
  t.equal(ids.size, 100, 'never the same twice');
  for (const id of ids) t.match(id, /^[0-9a-f]{32}$/);
});

t.test('different job ids never give one component', async (t) => {
  const ids = ['a/b', 'a_b', 'a-b', 'a.b', 'a b', 'a_2fb', 'ab', 'run', 'run-2', 'run_2', 'slurm12.0', 'é', '_', '', '-'];
  const seen = new Map<string, string>();
  for (const id of ids) {
    const c = jobComponent(id);
    t.notOk(c.includes('-'), `'${id}' → '${c}' holds no separator`);
    t.equal(seen.get(c), undefined, `'${id}' → '${c}' is no other id's`);
    seen.set(c, id);
    t.equal(jobFromComponent(c), id, `'${c}' gives '${id}' back`);
  }
  t.not(segmentName('a/b', '0'.repeat(32), 0, 0), segmentName('a_b', '0'.repeat(32), 0, 0), "a/b and a_b name different segments");
  t.equal(jobComponent('slurm12.0'), 'slurm12.0', 'a plain id reads as itself');
});

t.test('names fit the native rules, long ids included', async (t) => {
  const run = newRunId();
  for (const job of ['x', 'a/b', 'é'.repeat(200), '-'.repeat(300), 'j'.repeat(96), 'j'.repeat(97)]) {
    const name = segmentName(job, run, 2 ** 31 - 1, 2 ** 31 - 1);
    t.match(name, SHM_NAME, `${job.slice(0, 12)}… (${job.length}): ${name.length} characters`);
  }
  t.not(jobComponent('j'.repeat(97)), jobComponent('j'.repeat(98)), 'hashed ids differ too');
  t.notOk(jobComponent('j'.repeat(97)).includes('-'));
  t.equal(jobComponent('j'.repeat(96)), 'j'.repeat(96), 'an id that fits is kept');
});

t.test('a name parses back into its parts', async (t) => {
  const run = newRunId();
  for (const job of ['run', 'run-2', 'a/b', 'j'.repeat(200)]) {
    const p = parseSegmentName(segmentName(job, run, 3, 17));
    t.same(p, { job: jobComponent(job), run, rank: 3, segment: 17 }, job.slice(0, 12));
  }
  for (const other of ['taskloaf-run-r1-s0', 'taskloaf-x.ledger', 'vader_segment.h.1.0', `taskloaf-a-b-${run}-r0-s0`, `taskloaf-x-${run}-r0-s0x`]) {
    t.equal(parseSegmentName(other), null, `'${other}' is not a name of ours`);
  }
  t.throws(() => runPrefix('x', 'not-a-run'), { code: 'ERR_INVALID_ARG_VALUE' }, 'a run id is checked');
});

t.test('prefixes end in the separator: job run never matches job run-2', async (t) => {
  const run = newRunId();
  const job = uniq();
  t.ok(jobPrefix(job).endsWith('-'));
  t.ok(runPrefix(job, run).endsWith('-'));
  t.ok(runPrefix(job, run, 1).endsWith('-'));
  t.notOk(segmentName(`${job}-2`, run, 0, 0).startsWith(jobPrefix(job)), 'job-2 is not under job');
  t.notOk(segmentName(job, run, 10, 0).startsWith(runPrefix(job, run, 1)), 'rank 10 is not under rank 1');
  t.ok(segmentName(job, run, 1, 5).startsWith(runPrefix(job, run, 1)));
  t.notOk(segmentName(job, newRunId(), 1, 0).startsWith(runPrefix(job, run)), 'another run is not under this one');
});

t.test('a sweep removes only whole components of this user\'s names', async (t) => {
  const job = uniq();
  const run = newRunId();
  const mine = [segmentName(job, run, 0, 0), segmentName(job, run, 0, 1), segmentName(job, run, 1, 0)];
  const beside = [segmentName(`${job}-2`, run, 0, 0), segmentName(job, newRunId(), 0, 0)];
  for (const n of [...mine, ...beside]) addon().shmCreate(n, 4096, -1);
  t.teardown(() => {
    for (const n of [...mine, ...beside]) addon().shmUnlink(n);
  });
  t.equal(sweep(runPrefix(job, run).slice(0, -1)), 0, 'a prefix that stops inside a component sweeps nothing');
  t.equal(sweep(runPrefix(job, run, 0)), 2, "rank 0's two names");
  t.same(listSegments(runPrefix(job, run)), [mine[2]], "rank 1's name stays");
  t.equal(sweep(runPrefix(job, run)), 1);
  t.same(listSegments(jobPrefix(job)).sort(), [beside[1]], "the other run's name stays");
  t.same(listSegments(jobPrefix(`${job}-2`)), [beside[0]], "job-2's name stays");
});

const root = process.getuid?.() === 0;
t.test("a sweep leaves another user's names, links and FIFOs alone", { skip: root ? false : 'needs root to give a file to another user' }, async (t) => {
  const job = uniq();
  const run = newRunId();
  const nobody = Number(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim()) || 65534;
  const theirs = segmentName(job, run, 0, 0);
  const link = segmentName(job, run, 0, 1);
  const fifo = segmentName(job, run, 0, 2);
  const ours = segmentName(job, run, 0, 3);
  const target = `/dev/shm/${uniq()}-target`;
  writeFileSync(target, 'keep');
  writeFileSync(`/dev/shm/${theirs}`, '');
  chownSync(`/dev/shm/${theirs}`, nobody, nobody);
  symlinkSync(target, `/dev/shm/${link}`);
  spawnSync('mkfifo', [`/dev/shm/${fifo}`]);
  addon().shmCreate(ours, 4096, -1);
  t.teardown(() => {
    for (const f of [theirs, link, fifo, ours]) rmSync(`/dev/shm/${f}`, { force: true });
    rmSync(target, { force: true });
  });
  t.notOk(ownedFile('/dev/shm', theirs), "another user's file is not ours");
  t.notOk(ownedFile('/dev/shm', link), 'a link is not a file of ours');
  t.notOk(ownedFile('/dev/shm', fifo), 'a FIFO is not a file of ours');
  t.ok(ownedFile('/dev/shm', ours));
  // Root could remove them all: only the ownership check keeps them.
  t.equal(sweep(runPrefix(job, run, 0)), 1, 'only our own name goes');
  t.ok(existsSync(`/dev/shm/${theirs}`), "the other user's file stays");
  t.ok(existsSync(`/dev/shm/${link}`) || listSegments(link).length === 1, 'the link stays');
  t.ok(existsSync(`/dev/shm/${fifo}`), 'the FIFO stays');
  t.ok(existsSync(target), "the link's target stays");
});
