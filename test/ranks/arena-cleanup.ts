// Every rank makes segments, then the job ends as asked: normally, by an
// uncaught error on the last rank, or by SIGTERM or SIGKILL of the last rank.
import { Arena } from '../../src/arena/arena.js';
import { listSegments, runPrefix } from '../../src/arena/names.js';
import { world as comm } from '../../src/native/mpi.js';
import { start } from '../../src/runtime/world.js';
import { record, recv } from './lib.js';

const how = process.argv[2] ?? 'normal';
const w = start();
const c = comm();
const arena = new Arena({ job: w.job, run: w.run, rank: w.rank, numaNode: w.numaNode, segmentBytes: 4 * 2 ** 20 });
arena.alloc(1000).bytes.fill(1);
arena.alloc(6 * 2 ** 20).bytes.fill(2); // a second segment
c.barrier();
record({ rank: w.rank, job: w.job, run: w.run, present: listSegments(runPrefix(w.job, w.run)).length });
c.barrier();
// Let the launcher pass every rank's line on before the job is torn down:
// Hydra drops what its proxies have not yet forwarded when it kills a job.
if (how !== 'normal') await new Promise((r) => setTimeout(r, 300));
const last = w.size - 1;
if (how === 'throw' && w.rank === last) throw new Error('deliberate failure');
if (how === 'kill' && w.rank === last) process.kill(process.pid, 'SIGKILL');
if (how === 'term' && w.rank === last) process.kill(process.pid, 'SIGTERM');
if (how !== 'normal') await recv(c, last, 77); // never arrives: the job must end anyway
