// Reports this rank's placement and the CPUs every one of its threads may use.
import { readFileSync, readdirSync } from 'node:fs';
import { allowedCpus, parseCpuList } from '../../src/launch/affinity.js';
import { start } from '../../src/runtime/world.js';
import { record } from './lib.js';

const w = start();
const threads = readdirSync('/proc/self/task').map((tid) => {
  const status = readFileSync(`/proc/self/task/${tid}/status`, 'utf8');
  return parseCpuList(status.match(/Cpus_allowed_list:\s*(\S+)/)![1]!);
});
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
});
