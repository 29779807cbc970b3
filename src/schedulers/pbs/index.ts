// PBS as a Scheduler, in two dialects: PBS Pro / OpenPBS (`-l select=`, the
// default) and Torque (`-l nodes=:ppn=`), detected from qstat when unsaid.
// PBS has no job-id pattern for log names, so a per-submission stamp names them.
import { join } from 'node:path';
import type { Scheduler } from '../scheduler.js';
import { detectPbs, dialectFor, pbsList, pbsStatus, qdel, qsubCommand } from './commands.js';
import { MAX_TORQUE_LISTED, pbsKeys, pbsProLines, tooManyListed, torqueLines, torqueListed } from './directives.js';
import { pbsAllocation, pbsRunningJob } from './environment.js';
import { parsePbsJobId } from './jobid.js';
import { pbsMemory, pbsWalltime } from './quantities.js';
import { pbsState } from './states.js';

export const pbs: Scheduler = {
  name: 'pbs',
  title: 'PBS',
  dialects: ['pbspro', 'torque'],
  dialectForms: { pbspro: '-l select=', torque: '-l nodes=:ppn=' },
  submitProgram: 'qsub',
  queryProgram: 'qstat',
  detectDialect: async (run) => dialectFor(await detectPbs(run)),

  template: (dialect) => join('pbs', `${dialect}.sh`),
  directivePrefix: '#PBS',
  directives: (spec, logs) => (spec.dialect === 'torque' ? torqueLines(spec, logs) : pbsProLines(spec, logs)),
  directiveKeys: pbsKeys,
  logPaths(spec, stamp) {
    const base = join(spec.logDir, spec.jobName);
    // PBS Pro array subjobs each write their own file; Torque names them itself.
    const sub = spec.array && spec.dialect === 'pbspro' ? '.^array_index^' : '';
    return { output: `${base}-${stamp}${sub}.out`, error: `${base}-${stamp}${sub}.err` };
  },
  fillLogPath: (p, { index }) => p.replace(/\^array_index\^/g, index),
  refuse(spec, given) {
    if (spec.walltime === Number.POSITIVE_INFINITY) {
      return { option: '--time', why: `PBS has no unlimited walltime, got ${JSON.stringify((given as { time?: unknown }).time)}; give a length (30d) or leave --time out for the queue's default` };
    }
    if (spec.dialect === 'pbspro' && spec.array && (!spec.array.isRange || spec.array.throttle !== undefined)) {
      return { option: '--array', why: `PBS Pro takes one range (-J 1-10 or 1-10:2), not ${JSON.stringify((given as { array?: unknown }).array)}` };
    }
    if (spec.dialect === 'torque' && spec.array && torqueListed(spec.array.indices) > MAX_TORQUE_LISTED) {
      return { option: '--array', why: tooManyListed(spec.array.indices) };
    }
    return undefined;
  },

  walltime: pbsWalltime,
  memory: pbsMemory,
  parseJobId: parsePbsJobId,
  state: pbsState,

  // The output paths on qsub's command line too: they win over the defaults of Slurm's qsub wrapper.
  submitCommand(script, logs) {
    const [q, ...rest] = qsubCommand(script);
    return [q!, '-o', logs.output, '-e', logs.error, ...rest];
  },
  // PBS and Slurm's wrapper put anything not redirected in the directory qsub ran in.
  submitDirectory: (spec) => spec.logDir,
  namesFilesById: false,
  status: pbsStatus,
  list: pbsList,
  cancel: qdel,

  runningJob: pbsRunningJob,
  allocation: pbsAllocation,
  allocationVariable: 'PBS_NODEFILE',
};
