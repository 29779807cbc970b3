// The resource lines of a job script, one dialect each: `#SBATCH` for Slurm,
// `#PBS` in the PBS Pro (`-l select=`) and Torque (`-l nodes=:ppn=`) forms.
// A directive the user passes verbatim wins: the generated line it overrides
// is left out and the user's line comes last (also last-wins for schedulers).
import { pbsMemory, pbsWalltime, slurmMemory, slurmWalltime } from './quantities.js';
import type { JobSpec, MailEvent } from './spec.js';

/** A generated directive and the key a user directive overrides it by. */
interface Line {
  key: string;
  text: string;
}

/** Where the job's output goes; filled in by the caller (see logPaths). */
export interface LogPaths {
  output: string;
  error: string;
}

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

/** The keys a PBS directive sets: `-l walltime=1:00:00,mem=4gb` → `l:walltime`, `l:mem`; `-N x` → `N`. */
export function pbsKeys(directive: string): string[] {
  const m = /^-([A-Za-z])\s*(.*)$/.exec(directive);
  if (!m) return [directive];
  const [, flag, rest] = m;
  if (flag === 'l') return rest!.split(',').map((r) => `l:${r.split('=')[0]!.trim()}`);
  if (flag === 'W') return [`W:${rest!.split('=')[0]!.trim()}`];
  return [flag!];
}

const slurmMail = (e: MailEvent) => e.toUpperCase();
const pbsMail: Record<MailEvent, string> = { begin: 'b', end: 'e', fail: 'a', all: 'abe' };

function dependencyList(spec: JobSpec): string {
  return spec.dependencies.map((d) => `${d.type}:${d.ids.join(':')}`).join(',');
}

function slurmLines(spec: JobSpec, logs: LogPaths): Line[] {
  const l: Line[] = [];
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

function pbsCommon(spec: JobSpec, logs: LogPaths, l: Line[]): void {
  if (spec.walltime !== undefined) l.push({ key: 'l:walltime', text: `-l walltime=${pbsWalltime(spec.walltime)}` });
  if (spec.partition !== undefined) l.push({ key: 'q', text: `-q ${spec.partition}` });
  if (spec.account !== undefined) l.push({ key: 'A', text: `-A ${spec.account}` });
  l.push({ key: 'o', text: `-o ${logs.output}` });
  l.push({ key: 'e', text: `-e ${logs.error}` });
  if (spec.mailUser !== undefined) l.push({ key: 'M', text: `-M ${spec.mailUser}` });
  if (spec.mailType.length > 0) {
    const letters = [...new Set(spec.mailType.map((e) => pbsMail[e]).join(''))].sort().join('');
    l.push({ key: 'm', text: `-m ${letters}` });
  }
  if (spec.export === 'all') l.push({ key: 'V', text: '-V' });
  if (spec.dependencies.length > 0) l.push({ key: 'W:depend', text: `-W depend=${dependencyList(spec)}` });
}

function pbsProLines(spec: JobSpec, logs: LogPaths): Line[] {
  const l: Line[] = [{ key: 'N', text: `-N ${spec.jobName}` }];
  const cpus = spec.ntasksPerNode * spec.cpusPerTask;
  // One chunk per node: mpiprocs ranks, each with its cpus; memory is per chunk.
  let chunk = `${spec.nodes}:ncpus=${cpus}:mpiprocs=${spec.ntasksPerNode}:ompthreads=${spec.cpusPerTask}`;
  if (spec.memPerNode !== undefined) chunk += `:mem=${pbsMemory(spec.memPerNode)}`;
  if (spec.memPerCpu !== undefined) chunk += `:mem=${pbsMemory(spec.memPerCpu * cpus)}`;
  if (spec.gpusPerNode !== undefined) chunk += `:ngpus=${spec.gpusPerNode}`;
  l.push({ key: 'l:select', text: `-l select=${chunk}` });
  // scatter: each chunk on its own node, as --nodes means.
  l.push({ key: 'l:place', text: `-l place=${spec.nodes > 1 ? 'scatter' : 'pack'}${spec.exclusive ? ':excl' : ''}` });
  pbsCommon(spec, logs, l);
  if (spec.array) l.push({ key: 'J', text: `-J ${spec.array.indices}` });
  return l;
}

/** Torque takes ranges and lists but no steps: `1-9:2` becomes `1,3,5,7,9`. */
export function withoutSteps(indices: string): string {
  return indices
    .split(',')
    .map((part) => {
      const m = /^(\d+)-(\d+):(\d+)$/.exec(part);
      if (!m) return part;
      const out: number[] = [];
      for (let i = Number(m[1]); i <= Number(m[2]); i += Number(m[3])) out.push(i);
      return out.join(',');
    })
    .join(',');
}

function torqueLines(spec: JobSpec, logs: LogPaths): Line[] {
  const l: Line[] = [{ key: 'N', text: `-N ${spec.jobName}` }];
  let nodes = `${spec.nodes}:ppn=${spec.ntasksPerNode * spec.cpusPerTask}`;
  if (spec.gpusPerNode !== undefined) nodes += `:gpus=${spec.gpusPerNode}`;
  l.push({ key: 'l:nodes', text: `-l nodes=${nodes}` });
  // Torque's mem is for the whole job; pmem is per process (one rank).
  if (spec.memPerNode !== undefined) l.push({ key: 'l:mem', text: `-l mem=${pbsMemory(spec.memPerNode * spec.nodes)}` });
  if (spec.memPerCpu !== undefined) l.push({ key: 'l:pmem', text: `-l pmem=${pbsMemory(spec.memPerCpu * spec.cpusPerTask)}` });
  if (spec.exclusive) l.push({ key: 'n', text: '-n' });
  pbsCommon(spec, logs, l);
  if (spec.array) {
    l.push({ key: 't', text: `-t ${withoutSteps(spec.array.indices)}${spec.array.throttle !== undefined ? `%${spec.array.throttle}` : ''}` });
  }
  return l;
}

/** The directive lines, with their `#SBATCH`/`#PBS` prefix. */
export function directiveLines(spec: JobSpec, logs: LogPaths): string[] {
  const slurm = spec.scheduler === 'slurm';
  const prefix = slurm ? '#SBATCH' : '#PBS';
  const generated = slurm ? slurmLines(spec, logs) : spec.dialect === 'torque' ? torqueLines(spec, logs) : pbsProLines(spec, logs);
  const userKeys = new Set(spec.directives.flatMap((d) => (slurm ? [slurmKey(d)] : pbsKeys(d))));
  const kept = generated.filter((g) => !userKeys.has(g.key)).map((g) => g.text);
  return [...kept, ...spec.directives].map((t) => `${prefix} ${t}`);
}
