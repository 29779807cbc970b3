// Every TASKLOAF_* variable taskloaf reads at run time: its type, default and
// meaning, and the check of its value. A bad value is an EnvError naming the
// variable, never a silent fallback to the default, so a typo shows at once.
// An empty value counts as unset. Bottom of the layers: only errors.ts and
// Node builtins below it. The build-time variables (TASKLOAF_MPICC...) are
// read by scripts/build-native.mjs, which runs before any of this is compiled.
import { existsSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnvError } from './errors.js';

/** An environment: process.env, or an object a test passes. */
export type Env = Record<string, string | undefined>;

export interface EnvVariable<T> {
  readonly name: string;
  /** The values it takes, as the README shows them. */
  readonly type: string;
  /** What holds when it is unset or empty, as the README shows it. */
  readonly default: string;
  readonly meaning: string;
  /** Reads, checks and converts it; `base` resolves relative paths (where the variable is a path). */
  read(env?: Env, base?: string): T;
}

interface Spec<T> {
  type: string;
  default: string;
  meaning: string;
  unset: (base: string | undefined) => T;
  parse: (raw: string, fail: (expected: string, detail?: string) => never, env: Env, base: string | undefined) => T;
}

function variable<T>(name: string, spec: Spec<T>): EnvVariable<T> {
  return {
    name,
    type: spec.type,
    default: spec.default,
    meaning: spec.meaning,
    read(env: Env = process.env, base?: string): T {
      const raw = env[name];
      if (raw === undefined || raw === '') return spec.unset(base);
      const fail = (expected: string, detail?: string): never => {
        throw new EnvError(name, raw, `${name} must be ${expected}, got '${raw}'${detail ? ` (${detail})` : ''}`);
      };
      return spec.parse(raw, fail, env, base);
    },
  };
}

function oneOf<const V extends string>(name: string, values: readonly V[], dflt: V, meaning: string, expected?: string): EnvVariable<V> {
  return variable(name, {
    type: values.join(' \\| '),
    default: dflt,
    meaning,
    unset: () => dflt,
    parse: (raw, fail) => (values.includes(raw as V) ? (raw as V) : fail(expected ?? `one of ${values.join(', ')}`)),
  });
}

function flag(name: string, meaning: string): EnvVariable<boolean> {
  return variable(name, { type: '0 \\| 1', default: '0', meaning, unset: () => false, parse: (raw, fail) => (raw === '1' ? true : raw === '0' ? false : fail("'0' or '1'")) });
}

const SIZE_UNITS: Record<string, number> = {
  '': 1, b: 1,
  k: 2 ** 10, kb: 1e3, kib: 2 ** 10,
  m: 2 ** 20, mb: 1e6, mib: 2 ** 20,
  g: 2 ** 30, gb: 1e9, gib: 2 ** 30,
  t: 2 ** 40, tb: 1e12, tib: 2 ** 40,
};

/** Bytes in `4096`, `64MiB`, `1.5G`, `512 kb`; else what is wrong with the text. */
export function sizeIn(text: string): number | { problem: 'not a size' | 'too small' } {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) return { problem: 'not a size' };
  const bytes = Math.floor(Number(m[1]) * unit);
  // Below a page nothing fits; arena segments are whole pages.
  if (!Number.isSafeInteger(bytes) || bytes < 4096) return { problem: 'too small' };
  return bytes;
}

function size<T>(name: string, unset: () => T, dflt: string, meaning: string): EnvVariable<number | T> {
  return variable<number | T>(name, {
    type: 'size ≥ 4 KiB (`4096`, `64MiB`, `2G`)',
    default: dflt,
    meaning,
    unset,
    parse: (raw, fail) => {
      const bytes = sizeIn(raw);
      return typeof bytes === 'number' ? bytes : fail('a size of at least 4 KiB (examples: 4096, 64MiB, 2G)');
    },
  });
}

function seconds(name: string, dflt: number, meaning: string, expected: string): EnvVariable<number> {
  return variable(name, {
    type: 'seconds ≥ 0',
    default: String(dflt),
    meaning,
    unset: () => dflt,
    parse: (raw, fail) => {
      const n = Number(raw);
      return Number.isFinite(n) && n >= 0 ? n : fail(expected);
    },
  });
}

function text(name: string, dflt: string, meaning: string, type = 'text'): EnvVariable<string | null> {
  return variable<string | null>(name, { type, default: dflt, meaning, unset: () => null, parse: (raw) => raw });
}

/** The package's root (this file is src/env.ts or dist/env.js). */
const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function onPath(cmd: string, env: Env): boolean {
  for (const dir of (env.PATH ?? '').split(delimiter)) if (dir && existsSync(join(dir, cmd))) return true;
  return false;
}

export type ThreadLevel = 'single' | 'funneled' | 'serialized' | 'multiple';

/** The run-time variables, by name. Read them with readEnv(). */
export const variables = {
  // Runtime (each rank)
  TASKLOAF_PROGRESS: oneOf('TASKLOAF_PROGRESS', ['spin', 'yield', 'auto'] as const, 'auto',
    'how a rank polls MPI: `spin` every event-loop turn; `yield` every turn while busy, every millisecond when idle; `auto` spins while busy and shortly after'),
  TASKLOAF_STEAL: oneOf('TASKLOAF_STEAL', ['on', 'off'] as const, 'on',
    '`off`: no rank asks others for work; tasks run where they were spawned', "'on' or 'off'"),
  TASKLOAF_DEADLOCK_SECONDS: seconds('TASKLOAF_DEADLOCK_SECONDS', 10,
    'main waiting while every rank stays quiet this long ends the job with a report of what each rank waits for; `0` turns the check off',
    'a number of seconds (0: off)'),
  TASKLOAF_NODES: variable<number | null>('TASKLOAF_NODES', {
    type: 'integer ≥ 1',
    default: 'unset: the real nodes',
    meaning: 'splits this machine\'s ranks into that many simulated nodes (`taskloaf run --simulate-nodes`); at most one per rank',
    unset: () => null,
    parse: (raw, fail) => {
      const k = Number(raw);
      return Number.isInteger(k) && k >= 1 ? k : fail('a positive integer');
    },
  }),
  TASKLOAF_BIND: oneOf('TASKLOAF_BIND', ['auto', 'none'] as const, 'auto',
    '`none`: a rank the launcher left unbound does not pin itself to a core (`taskloaf run --bind none` sets it)'),
  TASKLOAF_HELPER_NICE: variable('TASKLOAF_HELPER_NICE', {
    type: 'integer 0–19',
    default: '0',
    meaning: 'the nice value of a bound rank\'s other threads (V8\'s and MPI\'s helpers), which share its core; 0 leaves them alone',
    unset: () => 0,
    parse: (raw, fail) => {
      const n = Number(raw);
      return Number.isInteger(n) && n >= 0 && n <= 19 ? n : fail('an integer from 0 to 19');
    },
  }),
  TASKLOAF_REPORT_BINDINGS: flag('TASKLOAF_REPORT_BINDINGS',
    '`1`: each rank prints its host, core, NUMA node and who bound it (`taskloaf run --report-bindings` sets it)'),
  TASKLOAF_THREAD_LEVEL: oneOf<ThreadLevel>('TASKLOAF_THREAD_LEVEL', ['single', 'funneled', 'serialized', 'multiple'], 'funneled',
    'the MPI thread level asked for when `mpi.init()` is given none'),
  TASKLOAF_ARENA_SEGMENT: size('TASKLOAF_ARENA_SEGMENT', () => 64 * 2 ** 20, '64MiB',
    'bytes per arena segment, unless `new Arena` is given `segmentBytes`'),
  TASKLOAF_ARENA_LIMIT: size('TASKLOAF_ARENA_LIMIT', () => null, "half the node's memory over its ranks, at least a segment",
    'most bytes a rank\'s arena holds, unless `new Arena` is given `limitBytes`'),
  TASKLOAF_JOB_ID: text('TASKLOAF_JOB_ID', "Slurm's or PBS's job id, else one rank 0 makes",
    'the job\'s id, shown to you and part of its shared segments\' names (escaped: two ids never give one name); `taskloaf run` passes it on'),
  TASKLOAF_RUN_ID: variable<string | null>('TASKLOAF_RUN_ID', {
    type: '32 hex digits',
    default: 'unset: rank 0 makes one',
    meaning: 'the run\'s random id, which with the job id names its shared segments, so two runs with one job id never meet; a new one each run (`taskloaf run` sets it)',
    unset: () => null,
    parse: (raw, fail) => (/^[0-9a-f]{32}$/.test(raw) ? raw : fail('32 hexadecimal digits')),
  }),
  TASKLOAF_OVERSUBSCRIBED: flag('TASKLOAF_OVERSUBSCRIBED',
    'set to `1` by `taskloaf run` for ranks that outnumber the cores; taskloaf itself reads `world.oversubscribed`, from each rank\'s binding'),
  // Native addon and launch
  TASKLOAF_BUILD: variable<string>('TASKLOAF_BUILD', {
    type: 'directory',
    default: 'build',
    meaning: 'the build of the native addon to load, relative to the package (e.g. `build-mpich`); also where `npm run build:native` builds',
    unset: (base) => resolve(base ?? packageRoot, 'build'),
    parse: (raw, fail, _env, base) => {
      const dir = resolve(base ?? packageRoot, raw);
      let isDir = false;
      try {
        isDir = statSync(dir).isDirectory();
      } catch {
        /* missing: refused below */
      }
      return isDir ? dir : fail('a build directory of the addon', `${dir} is not a directory; build it with TASKLOAF_BUILD=${raw} npm run build:native`);
    },
  }),
  TASKLOAF_MPIEXEC: variable<string | null>('TASKLOAF_MPIEXEC', {
    type: 'command or path',
    default: 'the build\'s, else a flavor-specific name on PATH',
    meaning: 'the launcher `taskloaf run` uses; it must be of the addon\'s MPI',
    unset: () => null,
    parse: (raw, fail, env) => {
      const found = raw.includes('/') ? existsSync(raw) : onPath(raw, env);
      return found ? raw : fail('an mpiexec on PATH or the path of one');
    },
  }),
  TASKLOAF_ALLOCATION: oneOf('TASKLOAF_ALLOCATION', ['auto', 'none'] as const, 'auto',
    '`none`: `taskloaf run` ignores the batch job it runs in and launches on this machine alone'),
  TASKLOAF_REQUEUE: flag('TASKLOAF_REQUEUE',
    '`1`: when the time-limit warning comes, `taskloaf run` requeues the Slurm job once the ranks ran their hooks (`submit --requeue-on-timeout` sets it)'),
  TASKLOAF_REQUEUE_GRACE: seconds('TASKLOAF_REQUEUE_GRACE', 60,
    'with `TASKLOAF_REQUEUE=1`, the longest wait for the ranks\' time-limit hooks before requeueing',
    'a number of seconds'),
  TASKLOAF_WATCH: variable<string | null>('TASKLOAF_WATCH', {
    type: 'absolute path',
    default: 'unset: no launcher to report to',
    meaning: 'the private socket through which `taskloaf run` watches the ranks of its node (`taskloaf run` sets it)',
    unset: () => null,
    parse: (raw, fail) => (raw.startsWith('/') && !raw.includes('\0') ? raw : fail('an absolute path')),
  }),
  TASKLOAF_WATCH_TOKEN: variable<string | null>('TASKLOAF_WATCH_TOKEN', {
    type: '64 hex digits',
    default: 'unset',
    meaning: 'the secret a rank says to `taskloaf run` on `TASKLOAF_WATCH`; a new one each run (`taskloaf run` sets it)',
    unset: () => null,
    parse: (raw, fail) => (/^[0-9a-f]{64}$/.test(raw) ? raw : fail('64 hexadecimal digits')),
  }),
  // Job commands
  TASKLOAF_CONFIG: variable<string | null>('TASKLOAF_CONFIG', {
    type: 'file',
    default: 'the nearest `taskloaf.config.json` up from the working directory to the repository\'s root or home, else `~/.config/taskloaf/config.json`',
    // Only that the file exists is checked here; whether it may be trusted, in launch/jobs/config-trust.ts.
    meaning: 'the config file of job defaults and profiles, unless `--config` names one; refused unless yours (or root\'s) and writable by no group or other',
    unset: () => null,
    parse: (raw, fail, _env, base) => {
      const file = resolve(base ?? process.cwd(), raw);
      return existsSync(file) ? file : fail('a config file', `${file} does not exist`);
    },
  }),
  TASKLOAF_JOBS_DIR: text('TASKLOAF_JOBS_DIR', '`$XDG_STATE_HOME/taskloaf/jobs`, else `~/.local/state/taskloaf/jobs`',
    'where `submit` records the jobs it started, for `status`, `logs` and `cancel`', 'directory'),
} as const;

export type EnvName = keyof typeof variables;
type ValueOf<N extends EnvName> = ReturnType<(typeof variables)[N]['read']>;

/**
 * The checked value of a TASKLOAF_* variable (its default when unset or
 * empty); EnvError (ERR_INVALID_ENV) when it holds a bad value. `base`
 * resolves TASKLOAF_BUILD (default: the package) and TASKLOAF_CONFIG
 * (default: the working directory).
 */
export function readEnv<N extends EnvName>(name: N, env: Env = process.env, base?: string): ValueOf<N> {
  return variables[name].read(env, base) as ValueOf<N>;
}

