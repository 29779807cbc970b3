// Received payloads give their arena blocks back: when dropped, through the
// garbage collector, before the arena fills; when released, at once, with
// every view of them emptied.
import { existsSync } from 'node:fs';
import t from 'tap';
import { runRanks } from './helpers/ranks.js';

const MiB = 2 ** 20;
const count = 64;
const mib = 8;
// Received payloads wait for a collection up to a slack of 256 MiB (a
// quarter of the arena at most; src/wire/transport/placement.ts): 64 payloads of 8 MiB
// are twice that.
const SLACK = 256 * MiB;
const opts = { tcp: true, simulateNodes: 2 };

t.test('dropped payloads are collected once a slack of them is out', async (t) => {
  const run = runRanks('wire-reclaim.ts', 2, { ...opts, args: ['drop', String(count), String(mib)] });
  t.equal(run.code, 0, run.stderr);
  const [r] = run.records;
  t.ok(r, 'rank 1 reported');
  t.same(r!.failures, [], 'every payload arrived whole');
  t.equal(r!.moves, count);
  t.equal(r!.inArena, count, 'every payload lay in the receiving arena');
  t.ok((r!.maxInUse as number) <= SLACK + 2 * mib * MiB, `arena use stayed within the slack (${(r!.maxInUse as number) / MiB} MiB)`);
  // Where Node's headers are installed (the nodejs package puts them in
  // /usr/include/node), the addon is built with light aliases; without them, without.
  const headers = existsSync('/usr/include/node/v8.h');
  t.equal(r!.lightAliases, headers, headers ? 'light aliases are built (Node headers found)' : 'no Node headers here: built without light aliases');
});

t.test('in an arena of 128 MiB (slack 32 MiB), blocks of dropped payloads are reused', async (t) => {
  const run = runRanks('wire-reclaim.ts', 2, { ...opts, env: { TASKLOAF_ARENA_LIMIT: '128MiB' }, args: ['drop', '48', String(mib)] });
  t.equal(run.code, 0, run.stderr);
  const [r] = run.records;
  t.same(r!.failures, [], 'every payload arrived whole');
  t.equal(r!.limit, 128 * MiB);
  // 16 payloads fill this arena; more than that lay in it, so blocks came
  // back and were reused. (A payload that finds it full while a collection
  // is under way lands in ordinary memory: blocks come back asynchronously.)
  t.ok((r!.inArena as number) > 16, `${r!.inArena} of 48 payloads lay in the arena`);
  t.ok((r!.maxInUse as number) <= 128 * MiB, 'arena use stayed within its limit');
});

t.test('released payloads go back at once and their views become empty', async (t) => {
  const run = runRanks('wire-reclaim.ts', 2, { ...opts, args: ['release', String(count), String(mib)] });
  t.equal(run.code, 0, run.stderr);
  const [r] = run.records;
  t.ok(r, 'rank 1 reported');
  t.same(r!.failures, [], 'every payload arrived whole and was released once');
  t.equal(r!.inArena, count, 'every payload lay in the receiving arena');
  t.equal(r!.released, count, 'release() gave back each payload');
  t.equal(r!.freedAtOnce, count, 'its block was free right after');
  t.equal(r!.emptied, count, 'every view of it became empty');
  t.ok((r!.maxInUse as number) <= 2 * mib * MiB, `arena use stayed at one payload (${(r!.maxInUse as number) / MiB} MiB)`);
  t.equal(r!.ownReleased, 0, "release() leaves this rank's own values alone");
  t.equal(r!.ownIntact, true);
});
