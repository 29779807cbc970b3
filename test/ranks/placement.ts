// Reports this rank's placement, and the CPUs and nice value of every one of its threads.
import { readFileSync, readdirSync } from 'node:fs';
import { allowedCpus, parseCpuList } from '../../src/launch/affinity.js';
import { start } from '../../src/runtime/world.js';
import { record } from './lib.js';

const w = start();
const threads = readdirSync('/proc/self/task').map((tid) => {
  const status = readFileSync(`/proc/self/task/${tid}/status`, 'utf8');
  return parseCpuList(status.match(/Cpus_allowed_list:\s*(\S+)/)![1]!);
});
// Field 19 of /proc/<pid>/task/<tid>/stat, counted after the command name.
const nices = readdirSync('/proc/self/task').map((tid) => ({
  main: Number(tid) === process.pid,
  nice: Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]),
}));
record({
  rank: w.rank,
  core: w.core,
  numaNode: w.numaNode,
  boundBy: w.boundBy,
  oversubscribed: w.oversubscribed,
  localRank: w.localRank,
  node: w.node,
  host: w.host,
  job: w.job,
  allowed: allowedCpus(),
  threadCpus: threads,
  nices,
});
