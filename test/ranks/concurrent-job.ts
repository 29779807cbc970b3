// One of two jobs running at once on this node (two job ids, or one): its
// segments carry its own run's id and its data stays intact while the other
// job works.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Arena } from '../../src/arena/arena.js';
import { listSegments, runPrefix } from '../../src/arena/names.js';
import { world as comm } from '../../src/native/mpi.js';
import { start } from '../../src/runtime/world.js';
import { pattern, record } from './lib.js';

const w = start();
const arena = new Arena({ job: w.job, run: w.run, rank: w.rank, numaNode: w.numaNode, segmentBytes: 2 ** 20 });
const seed = [...w.job].reduce((a, ch) => a * 31 + ch.charCodeAt(0), w.rank) >>> 0;
const block = arena.alloc(512 * 1024);
block.bytes.set(pattern(block.length, seed));
let sawOther = false;
for (let i = 0; i < 20; i++) {
  await sleep(50);
  sawOther ||= listSegments('taskloaf-').some((n) => !n.startsWith(runPrefix(w.job, w.run)));
}
assert.ok(Buffer.from(block.bytes).equals(pattern(block.length, seed)), 'data intact');
// Both segments exist after the first barrier; neither rank ends (and
// unlinks its own) before both have looked, after the second.
comm().barrier();
const mine = listSegments(runPrefix(w.job, w.run));
comm().barrier();
record({ rank: w.rank, job: w.job, run: w.run, mine, sawOther });
