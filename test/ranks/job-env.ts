// A batch job's view of itself: every rank records its world and the
// scheduler's variables; options make it sleep, fail or append to a file.
//   job-env.ts [--sleep S] [--exit N] [--append FILE WORD]
import { appendFileSync, readFileSync } from 'node:fs';
import { init, world } from '../../src/mpi.js';
import { record } from './lib.js';

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(name);
  return i < 0 ? undefined : argv[i + 1];
};
init();
const comm = world();
const env = process.env;
const pick = (keys: string[]) => Object.fromEntries(keys.filter((k) => env[k] !== undefined).map((k) => [k, env[k]]));
record({
  rank: comm.rank,
  size: comm.size,
  args: argv,
  env: pick(['SLURM_JOB_ID', 'SLURM_ARRAY_TASK_ID', 'SLURM_NTASKS', 'PBS_JOBID', 'PBS_NODEFILE', 'PBS_O_WORKDIR', 'PBS_ARRAY_INDEX', 'GREETING']),
  cpus: /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1],
});
comm.barrier();
const append = opt('--append');
if (append !== undefined && comm.rank === 0) appendFileSync(append, `${argv[argv.indexOf('--append') + 2]}\n`);
const sleep = Number(opt('--sleep') ?? 0);
if (sleep > 0) await new Promise((r) => setTimeout(r, sleep * 1000));
comm.barrier();
if (comm.rank === 0) process.exitCode = Number(opt('--exit') ?? 0);
