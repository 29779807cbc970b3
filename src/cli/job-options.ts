// The job options `template` and `submit` share: declared once for yargs, read
// back into JobOptions, merged with the config file. Numbers are read as text
// and checked here so that `--nodes abc` names the option and what was typed.
import type { Argv } from 'yargs';
import { OptionError } from '../errors.js';
import { loadConfig, locateConfig, mergeOptions } from '../launch/jobs/config.js';
import { jobSpec, type JobOptions, type JobSpec } from '../launch/jobs/spec.js';
import { detectInstalled, findScheduler, oneOf, schedulerNames, schedulers } from '../schedulers/registry.js';

interface Decl {
  key: keyof JobOptions;
  flag: string;
  alias?: string[];
  kind: 'string' | 'number' | 'list' | 'boolean';
  describe: string;
}

const DECLS: Decl[] = [
  { key: 'scheduler', flag: 'scheduler', kind: 'string', describe: `${oneOf(schedulerNames())} (default: the config file, else the one installed)` },
  { key: 'dialect', flag: 'dialect', kind: 'string', describe: dialectHelp() },
  { key: 'nodes', flag: 'nodes', alias: ['N'], kind: 'number', describe: 'nodes (default 1)' },
  { key: 'ntasksPerNode', flag: 'ntasks-per-node', kind: 'number', describe: 'ranks per node (default 1)' },
  { key: 'cpusPerTask', flag: 'cpus-per-task', alias: ['c'], kind: 'number', describe: 'cores per rank (default 1)' },
  { key: 'mem', flag: 'mem', kind: 'string', describe: 'memory per node with a unit: 512M, 4G' },
  { key: 'memPerCpu', flag: 'mem-per-cpu', kind: 'string', describe: 'memory per core with a unit (instead of --mem)' },
  { key: 'time', flag: 'time', alias: ['t'], kind: 'string', describe: 'walltime: HH:MM:SS, D-HH:MM:SS, D-HH, 90m, 2h; UNLIMITED (Slurm) (a bare number is refused)' },
  { key: 'partition', flag: 'partition', alias: ['p', 'queue', 'q'], kind: 'string', describe: 'Slurm partition / PBS queue' },
  { key: 'account', flag: 'account', alias: ['A', 'project'], kind: 'string', describe: 'account / project to charge' },
  { key: 'gpus', flag: 'gpus', kind: 'number', describe: 'GPUs per node' },
  { key: 'exclusive', flag: 'exclusive', kind: 'boolean', describe: 'whole nodes, shared with no other job' },
  { key: 'jobName', flag: 'job-name', alias: ['J'], kind: 'string', describe: 'job name (default: the script name)' },
  { key: 'output', flag: 'output', alias: ['o'], kind: 'string', describe: 'stdout file (default: in --log-dir)' },
  { key: 'error', flag: 'error', alias: ['e'], kind: 'string', describe: 'stderr file (default: in --log-dir)' },
  { key: 'logDir', flag: 'log-dir', kind: 'string', describe: 'directory for the script and logs (default ./taskloaf-jobs)' },
  { key: 'mailUser', flag: 'mail-user', kind: 'string', describe: 'mail address for job events' },
  { key: 'mailType', flag: 'mail-type', kind: 'list', describe: 'begin, end, fail or all (repeat or comma-separate)' },
  { key: 'chdir', flag: 'chdir', alias: ['D'], kind: 'string', describe: 'working directory of the job (default: here)' },
  { key: 'export', flag: 'export', kind: 'string', describe: 'all: the job gets this environment; none: a clean one' },
  { key: 'env', flag: 'env', kind: 'list', describe: 'NAME=VALUE set in the job (repeatable; quoted)' },
  { key: 'module', flag: 'module', kind: 'list', describe: 'module to load before the launch (repeatable)' },
  { key: 'setup', flag: 'setup', kind: 'list', describe: 'shell line run before the launch, verbatim (repeatable)' },
  { key: 'directive', flag: 'directive', kind: 'list', describe: 'extra #SBATCH/#PBS directive, verbatim; wins over the generated one (repeatable)' },
  { key: 'array', flag: 'array', alias: ['a'], kind: 'string', describe: 'job array indices: 1-10, 1-10:2, 1,3,5, 1-10%4' },
  { key: 'dependency', flag: 'dependency', alias: ['d'], kind: 'list', describe: 'TYPE:ID[:ID...], TYPE after|afterok|afternotok|afterany (repeatable)' },
  { key: 'signalBefore', flag: 'signal-before', kind: 'string', describe: "Slurm: warn the ranks this long before the walltime (90s, 5m); their onTimeLimit hooks run" },
  { key: 'requeueOnTimeout', flag: 'requeue-on-timeout', kind: 'boolean', describe: 'Slurm: at the warning (default 2m before), run the hooks, then requeue the job' },
  { key: 'runOptions', flag: 'run-option', kind: 'list', describe: 'option word for `taskloaf run` inside the job, e.g. --run-option=--launcher --run-option=srun (repeatable)' },
];

/** `PBS dialect: pbspro (-l select=) or torque (...); default: detected from qstat`, per scheduler with dialects. */
function dialectHelp(): string {
  return schedulers()
    .filter((s) => s.dialects.length > 0)
    .map((s) => {
      const named = s.dialects.map((d) => (s.dialectForms?.[d] ? `${d} (${s.dialectForms[d]})` : d));
      return `${s.title} dialect: ${oneOf(named)}; default: detected from ${s.queryProgram}`;
    })
    .join('; ');
}

/** Options of `template`/`submit` that take a value: the script starts after them. */
export const JOB_VALUE_OPTIONS = new Set([
  ...DECLS.filter((d) => d.kind !== 'boolean').flatMap((d) => [`--${d.flag}`, ...(d.alias ?? []).map((a) => (a.length === 1 ? `-${a}` : `--${a}`))]),
  '--template',
  '--config',
  '--profile',
  '--poll',
]);

export function declareJobOptions<T>(y: Argv<T>): Argv<T> {
  let out = y as Argv<unknown>;
  for (const d of DECLS) {
    out = out.option(d.flag, {
      type: d.kind === 'boolean' ? 'boolean' : 'string',
      ...(d.alias ? { alias: d.alias } : {}),
      describe: d.describe,
      group: 'Job options:',
    });
  }
  return out
    .option('template', { type: 'string', describe: 'job-script template to fill instead of the shipped one' })
    .option('config', { type: 'string', describe: 'config file (default: nearest taskloaf.config.json up to the repository root or home); must be yours, writable by no group or other' })
    .option('profile', { type: 'string', describe: 'profile of the config file to use' }) as Argv<T>;
}

const last = (v: unknown) => (Array.isArray(v) ? v.at(-1) : v);

/**
 * A whole number option, read from the text typed (yargs' own numbers turn
 * `two` into NaN and `1e30` into a float): the option and the text are named.
 */
export function wholeNumber(option: string, value: unknown, max = Number.MAX_SAFE_INTEGER): number {
  const text = String(last(value)).trim();
  if (!/^\d+$/.test(text)) throw new OptionError(option, `must be a whole number, got ${JSON.stringify(String(last(value)))}`);
  // Past 2^53 a number is no longer exact (and would render as 1e+23).
  if (!Number.isSafeInteger(Number(text)) || Number(text) > max) throw new OptionError(option, `is too large (at most ${max}), got ${JSON.stringify(text)}`);
  return Number(text);
}

/** A positive number of seconds, fractions allowed (`--poll 0.2`). */
export function positiveSeconds(option: string, value: unknown): number {
  const text = String(last(value)).trim();
  const n = Number(text);
  if (!/^\d*\.?\d+$/.test(text) || !(n > 0) || n > 86400) throw new OptionError(option, `must be a number of seconds above 0 and at most 86400, got ${JSON.stringify(String(last(value)))}`);
  return n;
}

/** JobOptions from parsed arguments; only what was given. */
export function jobOptionsFrom(argv: Record<string, unknown>): JobOptions {
  const out: Record<string, unknown> = {};
  for (const d of DECLS) {
    const v = argv[d.flag];
    if (v === undefined) continue;
    if (d.kind === 'list') {
      out[d.key] = (Array.isArray(v) ? v : [v]).map(String);
    } else if (d.kind === 'number') {
      out[d.key] = wholeNumber(`--${d.flag}`, v);
    } else if (d.kind === 'boolean') {
      out[d.key] = Boolean(last(v));
    } else {
      out[d.key] = String(last(v));
    }
  }
  return out as JobOptions;
}

/**
 * Command line over config file, the dialect detected when unsaid, then
 * checked. `note` hears which config file was used (stdout may be the script).
 */
export async function specFrom(
  argv: Record<string, unknown>,
  script: string,
  args: string[],
  scheduler: string | undefined,
  note: (line: string) => void,
): Promise<JobSpec> {
  const found = locateConfig(argv.config as string | undefined);
  const config = loadConfig(found?.file ?? null, argv.profile as string | undefined, found?.origin);
  if (found) note(`taskloaf: config ${found.file} (${found.origin}${config.profile === null ? '' : `, profile ${config.profile}`})\n`);
  const cli = jobOptionsFrom(argv);
  if (scheduler) cli.scheduler = scheduler;
  const { options, sources } = mergeOptions(config, cli);
  // The first scheduler whose submit command is installed, else the first (template works anywhere).
  if (options.scheduler === undefined) options.scheduler = (detectInstalled() ?? schedulers()[0]!).name;
  const chosen = findScheduler(options.scheduler);
  if (chosen?.detectDialect && options.dialect === undefined) options.dialect = await chosen.detectDialect();
  return jobSpec(options, script, args, sources);
}
