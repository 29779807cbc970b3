// The `#PBS` lines of a job script in PBS's two dialects: PBS Pro / OpenPBS
// (`-l select=N:ncpus=C:mpiprocs=C`) and Torque (`-l nodes=N:ppn=C`). A user's
// verbatim directive overrides the generated one with the same key.
import { OptionError } from '../../errors.js';
import { dependencyList, type JobSpec, type MailEvent } from '../job-spec.js';
import type { Directive, LogPaths } from '../scheduler.js';
import { pbsMemory, pbsWalltime } from './quantities.js';

/** The keys a PBS directive sets: `-l walltime=1:00:00,mem=4gb` → `l:walltime`, `l:mem`; `-N x` → `N`. */
export function pbsKeys(directive: string): string[] {
  const m = /^-([A-Za-z])\s*(.*)$/.exec(directive);
  if (!m) return [directive];
  const [, flag, rest] = m;
  if (flag === 'l') return rest!.split(',').map((r) => `l:${r.split('=')[0]!.trim()}`);
  if (flag === 'W') return [`W:${rest!.split('=')[0]!.trim()}`];
  return [flag!];
}

const pbsMail: Record<MailEvent, string> = { begin: 'b', end: 'e', fail: 'a', all: 'abe' };

/** The lines both dialects write alike: walltime, queue, account, logs, mail, dependencies. */
function pbsCommon(spec: JobSpec, logs: LogPaths, l: Directive[]): void {
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

/** PBS Pro / OpenPBS: one `-l select=` chunk per node. */
export function pbsProLines(spec: JobSpec, logs: LogPaths): Directive[] {
  const l: Directive[] = [{ key: 'N', text: `-N ${spec.jobName}` }];
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

/** The most indices a `-t` line lists once stepped ranges are written out. */
export const MAX_TORQUE_LISTED = 10_000;

/** How many indices the stepped ranges of `indices` list when written out (steps of 1 stay ranges). */
export function torqueListed(indices: string): number {
  let n = 0;
  for (const part of indices.split(',')) {
    const m = /^(\d+)-(\d+):(\d+)$/.exec(part);
    if (m && Number(m[3]) > 1) n += Math.floor((Number(m[2]) - Number(m[1])) / Number(m[3])) + 1;
  }
  return n;
}

/** Torque takes ranges and lists but no steps: `1-9:2` becomes `1,3,5,7,9`, `1-9:1` `1-9`. */
export function withoutSteps(indices: string): string {
  // Checked by refuse() for a job spec; here for any other caller.
  if (torqueListed(indices) > MAX_TORQUE_LISTED) throw new OptionError('--array', tooManyListed(indices));
  return indices
    .split(',')
    .map((part) => {
      const m = /^(\d+)-(\d+):(\d+)$/.exec(part);
      if (!m) return part;
      if (Number(m[3]) === 1) return `${m[1]}-${m[2]}`;
      const out: number[] = [];
      for (let i = Number(m[1]); i <= Number(m[2]); i += Number(m[3])) out.push(i);
      return out.join(',');
    })
    .join(',');
}

export const tooManyListed = (indices: string): string =>
  `Torque takes no steps, so ${JSON.stringify(indices)} would list ${torqueListed(indices)} indices one by one; at most ${MAX_TORQUE_LISTED} (use a step of 1, or several jobs)`;

/** Torque: `-l nodes=N:ppn=C`, whole-job memory, `-t` arrays. */
export function torqueLines(spec: JobSpec, logs: LogPaths): Directive[] {
  const l: Directive[] = [{ key: 'N', text: `-N ${spec.jobName}` }];
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
