// The checked job request every scheduler renders. Only its shape lives here,
// so that the scheduler folders can read it without importing launch/; the
// checking (options, config file, messages) is launch/jobs/spec.ts.

export type MailEvent = 'begin' | 'end' | 'fail' | 'all';
export type DependencyType = 'after' | 'afterok' | 'afternotok' | 'afterany';

export interface Dependency {
  type: DependencyType;
  ids: string[];
}

export interface JobArray {
  /** As written: `1-10`, `1-10:2`, `1,3,5`. */
  indices: string;
  /** At most this many at once (`%4`), if given. */
  throttle?: number;
  /** True when the indices are one range (all PBS Pro accepts). */
  isRange: boolean;
}

/** A checked job request. */
export interface JobSpec {
  /** A registered scheduler's name (see registry.ts). */
  scheduler: string;
  /** One of that scheduler's dialects; the first known dialect when it has none. */
  dialect: string;
  nodes: number;
  ntasksPerNode: number;
  cpusPerTask: number;
  /** Bytes per node, or per cpu (memPerCpu); at most one is set. */
  memPerNode?: number;
  memPerCpu?: number;
  /** Seconds. */
  walltime?: number;
  partition?: string;
  account?: string;
  gpusPerNode?: number;
  exclusive: boolean;
  jobName: string;
  /** Absolute paths; `logDir` holds the script and, unless given, the logs. */
  logDir: string;
  output?: string;
  error?: string;
  mailUser?: string;
  mailType: MailEvent[];
  workdir: string;
  export?: 'all' | 'none';
  env: [string, string][];
  modules: string[];
  setup: string[];
  directives: string[];
  array?: JobArray;
  dependencies: Dependency[];
  /** The program and its arguments, as run by every rank. */
  script: string;
  args: string[];
  runOptions: string[];
  /**
   * When set, the job runs `taskloaf <cli...>` (the benchmark suite: `bench
   * names...`) in place of `taskloaf run <script>`; it starts its own ranks.
   */
  cli?: string[];
  /** Seconds before the walltime the ranks are warned (Slurm's --signal). */
  signalBefore?: number;
  requeueOnTimeout: boolean;
}

/** The `TYPE:ID[:ID]` list both Slurm and PBS take for dependencies. */
export function dependencyList(spec: JobSpec): string {
  return spec.dependencies.map((d) => `${d.type}:${d.ids.join(':')}`).join(',');
}
