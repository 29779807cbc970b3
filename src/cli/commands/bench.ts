// taskloaf bench [name...]: the benchmark suite (bench/run.ts) with the
// figures, charts and README tables it writes; the same as `npm run bench`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { LaunchError, OptionError } from '../../errors.js';
import { packageRoot } from '../../native/addon.js';
import type { Context } from './context.js';

/** The suite's benchmarks, in the order it runs them (bench/run.ts maps each to its runner). */
export const BENCH_NAMES = ['pingpong', 'arena', 'wire-values', 'wire-batch', 'wire-frame', 'wire-move', 'runtime', 'peers', 'taskbench', 'stealing'] as const;

/** The suite's flags that take a value, and the values they take (bench/run.ts passes them on). */
export const VALUE_FLAGS: Record<string, RegExp> = { '--rounds': /^[1-9]\d*$/, '--width': /^[1-9]\d*$/, '--ranks': /^[1-9]\d*(,[1-9]\d*)*$/, '--reruns': /^\d+$/, '--runs': /^([2-9]|[1-9]\d+)$/ };
const FLAGS = new Set(['--quick', '--no-write', '--no-dask']);

/**
 * Checks the arguments of a benchmark job (`taskloaf submit ... bench names...`)
 * before anything is submitted: benchmark names and the suite's own flags only.
 */
export function benchArgs(args: string[]): string[] {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (VALUE_FLAGS[a]) {
      const v = args[++i];
      if (v === undefined || !VALUE_FLAGS[a].test(v)) throw new OptionError(a, `bench ${a} takes ${a === '--ranks' ? 'a list like 1,2,4' : `a whole number ≥ ${a === '--reruns' ? 0 : a === '--runs' ? 2 : 1}`}, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`);
    } else if (a.startsWith('-')) {
      if (!FLAGS.has(a)) throw new OptionError(a, `not an option of taskloaf bench (${[...FLAGS, ...Object.keys(VALUE_FLAGS)].join(', ')})`);
    } else if (!(BENCH_NAMES as readonly string[]).includes(a) && !(a === 'noise' && i === 0)) {
      throw new OptionError('bench', `no benchmark named ${JSON.stringify(a)}; the benchmarks are ${BENCH_NAMES.join(', ')}`);
    }
  }
  return args;
}

interface BenchArgs {
  names?: string[];
  quick: boolean;
  rounds?: number;
  reruns?: number;
  runs?: number;
  out?: string;
  against?: string;
  write: boolean;
  width?: number;
  ranks?: string;
  dask: boolean;
}

export function benchCommand(ctx: Context): CommandModule<object, BenchArgs> {
  return {
    command: 'bench [names..]',
    describe: 'run the benchmarks (all, or those named) next to their references and write bench/results and bench/README.md; `bench noise` measures run-to-run noise, `bench compare DIR` compares a run with the stored one',
    builder: (y) =>
      y
        .positional('names', { type: 'string', array: true, describe: BENCH_NAMES.join(', ') })
        .option('quick', { type: 'boolean', default: false, describe: 'a few seconds per benchmark (a smoke run)' })
        .option('rounds', { type: 'number', describe: 'runs to take the median of (default 5; 1 with --quick)' })
        .option('reruns', { type: 'number', describe: 'measure a benchmark again, at most this many times, while a headline or goal figure is wide (default 2; 0 with --quick)' })
        .option('out', { type: 'string', describe: 'write the results (JSON, charts) to this directory instead of bench/results; bench/README.md is left alone' })
        .option('runs', { type: 'number', describe: 'bench noise: suite runs to measure the noise over (default 3)' })
        .option('against', { type: 'string', describe: 'bench compare: the stored results to compare with (default bench/results, or bench/results/quick)' })
        .option('write', { type: 'boolean', default: true, describe: 'write results, charts and README tables (--no-write: print only)' })
        .option('width', { type: 'number', describe: 'taskbench: points per step, one rank each (default: the cores)' })
        .option('ranks', { type: 'string', describe: 'stealing: the rank counts to run, e.g. 1,2,4,8 (default: 1, powers of two and the cores)' })
        .option('dask', { type: 'boolean', default: true, describe: 'taskbench: include Dask (--no-dask leaves it out)' }),
    handler: (args) => {
      const suite = join(packageRoot, 'bench', 'run.ts');
      if (!existsSync(suite)) throw new LaunchError('ERR_BENCH_MISSING', `taskloaf bench: ${suite} is missing (the benchmarks come with a clone of the repository)`);
      if (args.rounds !== undefined && !(Number.isInteger(args.rounds) && args.rounds >= 1)) {
        throw new OptionError('--rounds', `a whole number of runs ≥ 1, got ${String(args.rounds)}`);
      }
      if (args.reruns !== undefined && !(Number.isInteger(args.reruns) && args.reruns >= 0)) throw new OptionError('--reruns', `a whole number ≥ 0, got ${String(args.reruns)}`);
      if (args.runs !== undefined && !(Number.isInteger(args.runs) && args.runs >= 2)) throw new OptionError('--runs', `a whole number of suite runs ≥ 2, got ${String(args.runs)}`);
      if (args.out === '') throw new OptionError('--out', 'takes a directory for the results');
      if (args.against === '') throw new OptionError('--against', 'takes a directory of stored results');
      if (args.width !== undefined && !(Number.isInteger(args.width) && args.width >= 1)) throw new OptionError('--width', `a whole number of ranks ≥ 1, got ${String(args.width)}`);
      if (args.ranks !== undefined && !VALUE_FLAGS['--ranks']!.test(args.ranks)) throw new OptionError('--ranks', `a comma-separated list of rank counts like 1,2,4, got '${args.ranks}'`);
      const names = args.names ?? [];
      const argv = [
        ...(names[0] === 'compare' ? names.map((n, i) => (i === 0 ? n : resolve(n))) : names),
        ...(args.quick ? ['--quick'] : []),
        ...(args.rounds ? ['--rounds', String(args.rounds)] : []),
        ...(args.reruns !== undefined ? ['--reruns', String(args.reruns)] : []),
        ...(args.runs !== undefined ? ['--runs', String(args.runs)] : []),
        // The suite runs in the package's directory: paths are the caller's, made absolute here.
        ...(args.out !== undefined ? ['--out', resolve(args.out)] : []),
        ...(args.against !== undefined ? ['--against', resolve(args.against)] : []),
        ...(args.write ? [] : ['--no-write']),
        ...(args.width ? ['--width', String(args.width)] : []),
        ...(args.ranks ? ['--ranks', args.ranks] : []),
        ...(args.dask ? [] : ['--no-dask']),
      ];
      const r = spawnSync(process.execPath, ['--import', 'tsx', suite, ...argv], { stdio: 'inherit', cwd: packageRoot });
      ctx.code = r.status ?? 1;
    },
  };
}
