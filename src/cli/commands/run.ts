// `taskloaf run`: N ranks on this machine, or across the batch job's allocation.
import type { CommandModule } from 'yargs';
import { run, runLaunchers } from '../../launch/run.js';
import { wholeNumber } from '../job-options.js';
import type { Context } from './context.js';

export function runCommand(ctx: Context): CommandModule {
  return {
    command: 'run <script> [args..]',
    describe: 'run a script on N MPI ranks: here (mpirun/mpiexec, one core each) or, inside a batch job, across its allocation',
    builder: (y) =>
      y
        .positional('script', { type: 'string', describe: 'program to run on every rank (.ts or .js)', demandOption: true })
        .positional('args', { type: 'string', array: true, describe: 'arguments passed to the script, verbatim' })
        .option('n', { alias: ['np'], type: 'string', describe: "number of ranks (default: the batch job's tasks inside one, else 1)" })
        .option('launcher', {
          choices: runLaunchers(),
          default: 'auto' as const,
          describe: "auto: across the batch job's allocation when inside one (mpiexec), else here; srun: srun inside a Slurm job; local: this machine only",
        })
        .option('oversubscribe', { type: 'boolean', default: false, describe: 'allow more ranks than cores' })
        .option('bind', {
          choices: ['core', 'self', 'none'] as const,
          default: 'core' as const,
          describe: 'core: the launcher binds each rank to a core; self: each rank pins itself from the topology; none: no binding',
        })
        .option('tcp', { type: 'boolean', default: false, describe: 'use the network path even between ranks of one machine' })
        .option('report-bindings', { type: 'boolean', default: false, describe: 'print where each rank runs' })
        .option('simulate-nodes', { type: 'string', describe: 'treat groups of ranks as that many different nodes (use with --tcp)' })
        .option('node-option', {
          // Not `array`: that would swallow the script after it. Repeated, it gathers anyway.
          type: 'string',
          describe: "an option for node on every rank, one per use, written with '=': --node-option=--max-old-space-size=8192 --node-option=--cpu-prof",
        }),
    handler: async (a) => {
      ctx.code = await run({
        // MPI counts ranks in an int.
        np: a.n === undefined ? undefined : wholeNumber('-n', a.n, 2 ** 31 - 1),
        launcher: a.launcher as string,
        oversubscribe: a.oversubscribe as boolean,
        bind: a.bind as 'core',
        tcp: a.tcp as boolean,
        reportBindings: a['report-bindings'] as boolean,
        simulateNodes: a['simulate-nodes'] === undefined ? undefined : wholeNumber('--simulate-nodes', a['simulate-nodes'], 2 ** 31 - 1),
        nodeOptions: a['node-option'] === undefined ? undefined : ([] as unknown[]).concat(a['node-option']).map(String),
        script: a.script as string,
        args: ctx.scriptArgs,
      });
    },
  };
}
