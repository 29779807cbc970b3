// An arena in a plain process (no launcher to sweep after it): prints its
// segment names, then waits to be signalled.
import { Arena } from '../../src/arena/arena.js';
import { jobPrefix, listSegments } from '../../src/arena/names.js';

const job = process.argv[2];
if (!job) throw new Error('usage: arena-signal.ts <job id>');
const arena = new Arena({ job, rank: 0, numaNode: -1, segmentBytes: 2 ** 20 });
arena.alloc(100);
arena.alloc(3 * 2 ** 20);
console.log(JSON.stringify(listSegments(jobPrefix(job))));
setInterval(() => {}, 1000);
