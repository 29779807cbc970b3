// A job that holds its arena's segments while another job starts and ends
// beside it, then checks that its names and data are still there.
//   hold-names.ts            holds for a moment
//   hold-names.ts GATE       holds until the file GATE exists
// Records { holding } once every rank's segment exists, then { kept, intact }.
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Arena } from '../../src/arena/arena.js';
import { listSegments, runPrefix } from '../../src/arena/names.js';
import { world as comm } from '../../src/native/mpi.js';
import { start } from '../../src/runtime/world.js';
import { pattern, record } from './lib.js';

const [gate] = process.argv.slice(2);
const w = start();
const c = comm();
const arena = new Arena({ job: w.job, run: w.run, rank: w.rank, numaNode: w.numaNode, segmentBytes: 2 ** 20 });
const seed = (parseInt(w.run.slice(0, 8), 16) + w.rank) >>> 0;
const block = arena.alloc(256 * 1024);
block.bytes.set(pattern(block.length, seed));
c.barrier();
const holding = listSegments(runPrefix(w.job, w.run)).sort();
record({ rank: w.rank, job: w.job, run: w.run, holding });
if (gate) while (!existsSync(gate)) await sleep(20);
else await sleep(300);
c.barrier();
const kept = listSegments(runPrefix(w.job, w.run)).sort();
record({ rank: w.rank, kept, intact: Buffer.from(block.bytes).equals(pattern(block.length, seed)) });
// Nobody unlinks its own names before every rank has looked.
c.barrier();
