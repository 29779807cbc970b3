// A job request as the user wrote it (JobOptions: from the command line and the
// config file) and as it is rendered (JobSpec: every value checked, converted
// and ready for any scheduler). Every error names its option and its source.
import { basename, extname, isAbsolute, resolve } from 'node:path';
import { OptionError } from '../../errors.js';
import type { Dependency, DependencyType, JobArray, JobSpec, MailEvent } from '../../schedulers/job-spec.js';
import { mebibytes, parseMemory, parseWalltime } from '../../schedulers/quantities.js';
import { oneOf, scheduler as schedulerNamed, schedulers } from '../../schedulers/registry.js';
import { directiveValue, oneLine } from './shell.js';

/** A registered scheduler's name (src/schedulers/registry.ts). */
export type SchedulerName = string;
export type { Dependency, DependencyType, JobArray, JobSpec, MailEvent } from '../../schedulers/job-spec.js';

/** Options as given: strings and numbers straight from the CLI or config file. */
export interface JobOptions {
  scheduler?: SchedulerName;
  dialect?: string;
  nodes?: number;
  ntasksPerNode?: number;
  cpusPerTask?: number;
  mem?: string;
  memPerCpu?: string;
  time?: string;
  partition?: string;
  account?: string;
  gpus?: number;
  exclusive?: boolean;
  jobName?: string;
  output?: string;
  error?: string;
  logDir?: string;
  mailUser?: string;
  mailType?: string[];
  chdir?: string;
  export?: 'all' | 'none';
  env?: string[];
  module?: string[];
  setup?: string[];
  directive?: string[];
  array?: string;
  dependency?: string[];
  /** Extra options for `taskloaf run` inside the job (e.g. `--bind self`). */
  runOptions?: string[];
  /** Warn the ranks this long before the walltime (their onTimeLimit hooks run). */
  signalBefore?: string;
  /** Requeue the job when the warning comes, once the hooks have run. */
  requeueOnTimeout?: boolean;
}

/** Where each option came from, for error messages ("command line", "taskloaf.config.json profile x"). */
export type OptionSources = Partial<Record<keyof JobOptions, string>>;

/** The CLI spelling of each option, for messages. */
export const OPTION_FLAGS: Record<keyof JobOptions, string> = {
  scheduler: '--scheduler',
  dialect: '--dialect',
  nodes: '--nodes',
  ntasksPerNode: '--ntasks-per-node',
  cpusPerTask: '--cpus-per-task',
  mem: '--mem',
  memPerCpu: '--mem-per-cpu',
  time: '--time',
  partition: '--partition',
  account: '--account',
  gpus: '--gpus',
  exclusive: '--exclusive',
  jobName: '--job-name',
  output: '--output',
  error: '--error',
  logDir: '--log-dir',
  mailUser: '--mail-user',
  mailType: '--mail-type',
  chdir: '--chdir',
  export: '--export',
  env: '--env',
  module: '--module',
  setup: '--setup',
  directive: '--directive',
  array: '--array',
  dependency: '--dependency',
  runOptions: '--run-option',
  signalBefore: '--signal-before',
  requeueOnTimeout: '--requeue-on-timeout',
};

/** The option key behind a flag (`--array` → `array`), to find where it came from. */
function keyOf(flag: string): keyof JobOptions | undefined {
  return (Object.keys(OPTION_FLAGS) as (keyof JobOptions)[]).find((k) => OPTION_FLAGS[k] === flag);
}

/**
 * Upper bounds on counts: far above any machine, low enough that every
 * product a template renders (ranks, cores per node) stays an exact integer.
 */
export const MAX_COUNT = 1_000_000;
/** MPI ranks are C ints. */
export const MAX_RANKS = 2 ** 31 - 1;
/** The highest array index: Slurm's MaxArraySize may not exceed 4000001. */
export const MAX_ARRAY_INDEX = 4_000_000;

function positiveInt(v: unknown, flag: string, source: string | undefined, min = 1, max = MAX_COUNT): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new OptionError(flag, `must be an integer of at least ${min}, got ${JSON.stringify(v)}`, source);
  }
  if (v > max) throw new OptionError(flag, `must be at most ${max}, got ${JSON.stringify(v)}`, source);
  return v;
}

/** A job name every scheduler takes as is: starts with a letter, then [A-Za-z0-9_.-], up to 64. */
function checkJobName(name: string, source?: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(name)) {
    throw new OptionError(
      '--job-name',
      `${JSON.stringify(name)} is not a job name every scheduler takes: start with a letter, then up to 63 letters, digits, '_', '.' or '-'`,
      source,
    );
  }
  return name;
}

/** The default job name: the script's name, made safe. */
export function jobNameFor(script: string): string {
  let n = basename(script, extname(script)).replace(/[^A-Za-z0-9_.-]+/g, '-');
  if (!/^[A-Za-z]/.test(n)) n = `job-${n}`;
  return n.slice(0, 64);
}

function parseArray(text: string, source?: string): JobArray {
  const m = /^((?:\d+(?:-\d+(?::\d+)?)?)(?:,\d+(?:-\d+(?::\d+)?)?)*)(?:%(\d+))?$/.exec(text.trim());
  if (!m) {
    throw new OptionError('--array', `${JSON.stringify(text)} is not an index list; write 1-10, 1-10:2, 1,3,5 or 1-10%4`, source);
  }
  const indices = m[1]!;
  for (const part of indices.split(',')) {
    for (const n of part.split(/[-:]/)) {
      if (Number(n) > MAX_ARRAY_INDEX) throw new OptionError('--array', `index ${n} is above ${MAX_ARRAY_INDEX}, more than any scheduler takes`, source);
    }
    const [lo, hiStep] = part.split('-');
    if (hiStep !== undefined) {
      const [hi, step] = hiStep.split(':');
      if (Number(hi) < Number(lo)) throw new OptionError('--array', `range ${part} ends before it starts`, source);
      if (step !== undefined && Number(step) < 1) throw new OptionError('--array', `range ${part} has a zero step`, source);
    }
  }
  if (m[2] !== undefined && Number(m[2]) > MAX_ARRAY_INDEX) throw new OptionError('--array', `throttle %${m[2]} is above ${MAX_ARRAY_INDEX}`, source);
  const throttle = m[2] === undefined ? undefined : positiveInt(Number(m[2]), '--array', source);
  return { indices, ...(throttle !== undefined ? { throttle } : {}), isRange: !indices.includes(',') && indices.includes('-') };
}

function parseDependency(text: string, source?: string): Dependency {
  const m = /^(after|afterok|afternotok|afterany):(.+)$/.exec(text.trim());
  if (!m) {
    throw new OptionError(
      '--dependency',
      `${JSON.stringify(text)} is not a dependency; write TYPE:ID[:ID...] with TYPE after, afterok, afternotok or afterany`,
      source,
    );
  }
  const ids = m[2]!.split(':');
  for (const id of ids) {
    if (!/^[A-Za-z0-9_.[\]-]+$/.test(id) || !/^\d/.test(id)) {
      throw new OptionError('--dependency', `${JSON.stringify(id)} is not a job id`, source);
    }
  }
  return { type: m[1] as DependencyType, ids };
}

const MAIL_EVENTS = new Set(['begin', 'end', 'fail', 'all']);

/**
 * Checks and converts options. `script` must exist as given; paths become
 * absolute against `cwd`. Throws OptionError naming the first bad option.
 */
export function jobSpec(
  opts: JobOptions,
  script: string,
  args: string[] = [],
  sources: OptionSources = {},
  cwd: string = process.cwd(),
): JobSpec {
  const src = (k: keyof JobOptions) => sources[k];
  const chosen = schedulerNamed(opts.scheduler ?? schedulers()[0]!.name, src('scheduler'));
  const scheduler = chosen.name;
  // A scheduler of one form still refuses a misspelt --dialect: it is checked
  // against every scheduler's dialects then.
  const dialects = chosen.dialects.length > 0 ? chosen.dialects : [...new Set(schedulers().flatMap((s) => s.dialects))];
  const dialect = opts.dialect ?? dialects[0] ?? '';
  if (!dialects.includes(dialect)) {
    throw new OptionError('--dialect', `must be ${oneOf(dialects)}, got ${JSON.stringify(dialect)}`, src('dialect'));
  }
  const nodes = positiveInt(opts.nodes ?? 1, '--nodes', src('nodes'));
  const ntasksPerNode = positiveInt(opts.ntasksPerNode ?? 1, '--ntasks-per-node', src('ntasksPerNode'));
  const cpusPerTask = positiveInt(opts.cpusPerTask ?? 1, '--cpus-per-task', src('cpusPerTask'));
  if (nodes * ntasksPerNode > MAX_RANKS) {
    throw new OptionError('--ntasks-per-node', `${ntasksPerNode} ranks on each of ${nodes} nodes is more than MPI can number (${MAX_RANKS})`, src('ntasksPerNode'));
  }
  if (ntasksPerNode * cpusPerTask > MAX_COUNT) {
    throw new OptionError('--cpus-per-task', `${cpusPerTask} cores for each of ${ntasksPerNode} ranks is more than ${MAX_COUNT} cores per node`, src('cpusPerTask'));
  }
  if (opts.mem !== undefined && opts.memPerCpu !== undefined) {
    throw new OptionError('--mem', 'give --mem (per node) or --mem-per-cpu, not both', src('mem'));
  }
  const memPerNode = opts.mem === undefined ? undefined : parseMemory(String(opts.mem), '--mem', src('mem'));
  const memPerCpu = opts.memPerCpu === undefined ? undefined : parseMemory(String(opts.memPerCpu), '--mem-per-cpu', src('memPerCpu'));
  const walltime = opts.time === undefined ? undefined : parseWalltime(String(opts.time), '--time', src('time'), true);
  const gpusPerNode = opts.gpus === undefined || opts.gpus === 0 ? undefined : positiveInt(opts.gpus, '--gpus', src('gpus'), 0);
  const absolute = (p: string, flag: keyof JobOptions) => {
    const full = isAbsolute(p) ? p : resolve(cwd, p);
    return directiveValue(full, OPTION_FLAGS[flag], src(flag));
  };
  const jobName = checkJobName(opts.jobName ?? jobNameFor(script), src('jobName'));
  const mailType = (opts.mailType ?? []).flatMap((t) => t.split(',')).map((t) => t.trim().toLowerCase());
  for (const t of mailType) {
    if (!MAIL_EVENTS.has(t)) throw new OptionError('--mail-type', `${JSON.stringify(t)} is not one of begin, end, fail, all`, src('mailType'));
  }
  if (mailType.length > 0 && opts.mailUser === undefined) {
    throw new OptionError('--mail-type', 'needs --mail-user to say where the mail goes', src('mailType'));
  }
  if (opts.mailUser !== undefined && !/^[A-Za-z0-9._%+-]+(@[A-Za-z0-9.-]+)?$/.test(opts.mailUser)) {
    throw new OptionError('--mail-user', `${JSON.stringify(opts.mailUser)} is not a mail address`, src('mailUser'));
  }
  if (opts.export !== undefined && opts.export !== 'all' && opts.export !== 'none') {
    throw new OptionError('--export', `must be all or none, got ${JSON.stringify(opts.export)}`, src('export'));
  }
  const env: [string, string][] = (opts.env ?? []).map((kv) => {
    const eq = kv.indexOf('=');
    const key = eq < 0 ? kv : kv.slice(0, eq);
    if (eq < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new OptionError('--env', `${JSON.stringify(kv)} is not NAME=VALUE with a shell variable name`, src('env'));
    }
    return [key, oneLine(kv.slice(eq + 1), '--env', src('env'))];
  });
  const modules = (opts.module ?? []).map((m) => directiveValue(m, '--module', src('module')));
  const setup = (opts.setup ?? []).map((s) => oneLine(s, '--setup', src('setup')));
  const directives = (opts.directive ?? []).map((d) => {
    oneLine(d, '--directive', src('directive'));
    if (!d.trim().startsWith('-')) throw new OptionError('--directive', `${JSON.stringify(d)} should start with its option, e.g. --constraint=x or -l feature=y`, src('directive'));
    return d.trim();
  });
  const spec: JobSpec = {
    scheduler,
    dialect,
    nodes,
    ntasksPerNode,
    cpusPerTask,
    exclusive: opts.exclusive ?? false,
    jobName,
    logDir: absolute(opts.logDir ?? 'taskloaf-jobs', 'logDir'),
    mailType: mailType as MailEvent[],
    workdir: absolute(opts.chdir ?? '.', 'chdir'),
    env,
    modules,
    setup,
    directives,
    dependencies: (opts.dependency ?? []).map((d) => parseDependency(d, src('dependency'))),
    script: resolve(cwd, script),
    args,
    runOptions: opts.runOptions ?? [],
    requeueOnTimeout: opts.requeueOnTimeout ?? false,
  };
  if (memPerNode !== undefined) spec.memPerNode = mebibytes(memPerNode) * 2 ** 20;
  if (memPerCpu !== undefined) spec.memPerCpu = mebibytes(memPerCpu) * 2 ** 20;
  if (walltime !== undefined) spec.walltime = walltime;
  if (opts.partition !== undefined) spec.partition = directiveValue(opts.partition, '--partition', src('partition'));
  if (opts.account !== undefined) spec.account = directiveValue(opts.account, '--account', src('account'));
  if (gpusPerNode !== undefined) spec.gpusPerNode = gpusPerNode;
  if (opts.output !== undefined) spec.output = absolute(opts.output, 'output');
  if (opts.error !== undefined) spec.error = absolute(opts.error, 'error');
  if (opts.mailUser !== undefined) spec.mailUser = opts.mailUser;
  if (opts.export !== undefined) spec.export = opts.export;
  if (opts.array !== undefined) spec.array = parseArray(String(opts.array), src('array'));
  if (opts.signalBefore !== undefined || spec.requeueOnTimeout) {
    const flag = opts.signalBefore !== undefined ? '--signal-before' : '--requeue-on-timeout';
    const warning = chosen.timeLimitWarning;
    if (!warning) {
      const warners = schedulers().filter((s) => s.timeLimitWarning).map((s) => s.title);
      throw new OptionError(
        flag,
        `needs ${oneOf(warners)}: ${chosen.title} sends no warning before the walltime`,
        src(opts.signalBefore !== undefined ? 'signalBefore' : 'requeueOnTimeout'),
      );
    }
    // Slurm's default warning time for a requeue: two minutes.
    spec.signalBefore = opts.signalBefore === undefined ? 120 : parseWalltime(String(opts.signalBefore), '--signal-before', src('signalBefore'));
    if (spec.signalBefore > warning.maxSeconds) {
      throw new OptionError('--signal-before', `can be at most ${warning.maxSeconds} s (${chosen.title}'s limit)`, src('signalBefore'));
    }
    if (spec.walltime !== undefined && spec.signalBefore >= spec.walltime) {
      throw new OptionError('--signal-before', `(${spec.signalBefore} s) must be shorter than --time (${spec.walltime} s)`, src('signalBefore'));
    }
  }
  const refused = chosen.refuse?.(spec, opts);
  if (refused) {
    const key = keyOf(refused.option);
    throw new OptionError(refused.option, refused.why, key && src(key));
  }
  return spec;
}
