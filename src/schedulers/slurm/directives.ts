// The `#SBATCH` lines of a job script. A user's verbatim directive overrides
// the generated one with the same option, long (`--time=`) or short (`-t`).
import { dependencyList, type JobSpec, type MailEvent } from '../job-spec.js';
import type { Directive, LogPaths } from '../scheduler.js';
import { slurmMemory, slurmWalltime } from './quantities.js';

const SLURM_SHORT: Record<string, string> = {
  A: 'account', a: 'array', c: 'cpus-per-task', D: 'chdir', d: 'dependency', e: 'error', G: 'gpus',
  J: 'job-name', M: 'clusters', N: 'nodes', n: 'ntasks', o: 'output', p: 'partition', q: 'qos', t: 'time', w: 'nodelist',
};

/** The option a Slurm directive sets: `--time=1:00:00` → `time`, `-N 2` → `nodes`. */
export function slurmKey(directive: string): string {
  const long = /^--([A-Za-z0-9-]+)/.exec(directive);
  if (long) return long[1]!;
  const short = /^-([A-Za-z])/.exec(directive);
  if (short) return SLURM_SHORT[short[1]!] ?? short[1]!;
  return directive;
}

const slurmMail = (e: MailEvent) => e.toUpperCase();

/** The generated `#SBATCH` options for a request, in script order. */
export function slurmLines(spec: JobSpec, logs: LogPaths): Directive[] {
  const l: Directive[] = [];
  const add = (key: string, value?: string) => l.push({ key, text: value === undefined ? `--${key}` : `--${key}=${value}` });
  add('job-name', spec.jobName);
  add('nodes', String(spec.nodes));
  add('ntasks-per-node', String(spec.ntasksPerNode));
  add('cpus-per-task', String(spec.cpusPerTask));
  if (spec.memPerNode !== undefined) add('mem', slurmMemory(spec.memPerNode));
  if (spec.memPerCpu !== undefined) add('mem-per-cpu', slurmMemory(spec.memPerCpu));
  if (spec.walltime !== undefined) add('time', slurmWalltime(spec.walltime));
  if (spec.partition !== undefined) add('partition', spec.partition);
  if (spec.account !== undefined) add('account', spec.account);
  if (spec.gpusPerNode !== undefined) add('gpus-per-node', String(spec.gpusPerNode));
  if (spec.exclusive) add('exclusive');
  add('output', logs.output);
  add('error', logs.error);
  if (spec.mailUser !== undefined) add('mail-user', spec.mailUser);
  if (spec.mailType.length > 0) add('mail-type', spec.mailType.map(slurmMail).join(','));
  add('chdir', spec.workdir);
  if (spec.export !== undefined) add('export', spec.export.toUpperCase());
  if (spec.array) add('array', `${spec.array.indices}${spec.array.throttle !== undefined ? `%${spec.array.throttle}` : ''}`);
  if (spec.dependencies.length > 0) add('dependency', dependencyList(spec));
  // The warning goes to the batch shell, which is `taskloaf run` (exec'd):
  // it passes it to the ranks as SIGUSR2.
  if (spec.signalBefore !== undefined) add('signal', `B:USR2@${spec.signalBefore}`);
  if (spec.requeueOnTimeout) {
    add('requeue');
    // The restarted run appends to the same log instead of truncating it.
    add('open-mode', 'append');
  }
  return l;
}
