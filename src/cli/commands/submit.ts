// `taskloaf submit script.ts`: render, write, submit, print the job id; with
// --wait, follow the job and exit with its status.
import type { CommandModule } from 'yargs';
import { existsSync, statSync } from 'node:fs';
import { LaunchError } from '../../errors.js';
import { quoteAll } from '../../launch/jobs/shell.js';
import { submit } from '../../launch/jobs/submit.js';
import { declareJobOptions, positiveSeconds, specFrom } from '../job-options.js';
import { benchArgs } from './bench.js';
import type { Context } from './context.js';
import { follow } from './follow.js';

export function submitCommand(ctx: Context): CommandModule {
  return {
    command: 'submit <script> [args..]',
    describe: 'submit a script as a batch job (sbatch or qsub) and print its id',
    builder: (y) =>
      declareJobOptions(
        y
          .positional('script', { type: 'string', describe: 'program the job runs on every rank (or bench: the benchmark suite, then its names and flags)', demandOption: true })
          .positional('args', { type: 'string', array: true, describe: 'arguments passed to the script, verbatim' })
          .option('dry-run', { type: 'boolean', default: false, describe: 'print the script and the submit command; submit nothing' })
          .option('wait', { type: 'boolean', default: false, describe: 'follow the job until it ends and exit with its exit status (124 timeout, 130 cancelled; 125: the scheduler failed)' })
          .option('poll', { type: 'string', default: '2', describe: 'seconds between state checks with --wait' })
          .option('json', { type: 'boolean', default: false, describe: 'print one JSON object instead of the id' }),
      ),
    handler: async (a) => {
      const script = a.script as string;
      const poll = positiveSeconds('--poll', a.poll);
      // `bench` names the benchmark suite, unless a file of that name is the program.
      const suite = script === 'bench' && !(existsSync(script) && statSync(script).isFile());
      if (!suite && !existsSync(script)) throw new LaunchError('ERR_SCRIPT_NOT_FOUND', `script not found: ${script}`);
      const spec = await specFrom(a, script, suite ? [] : ctx.scriptArgs, undefined, (l) => ctx.err.write(l));
      if (suite) spec.cli = ['bench', ...benchArgs(ctx.scriptArgs)];
      const s = await submit(spec, { dryRun: a['dry-run'] as boolean, ...(a.template ? { template: a.template as string } : {}) });
      if (a['dry-run']) {
        if (a.json) ctx.out.write(JSON.stringify({ command: s.command, scriptPath: s.scriptPath, script: s.script, output: s.output, error: s.error }) + '\n');
        else ctx.out.write(`${s.script}\n# would write ${s.scriptPath} and run:\n# ${quoteAll(s.command)}\n`);
        return;
      }
      const info = { id: s.id, scheduler: s.scheduler, script: s.scriptPath, output: s.output, error: s.error };
      if (!a.wait) {
        ctx.out.write(a.json ? JSON.stringify(info) + '\n' : `${s.id}\n`);
        if (!a.json) ctx.err.write(`taskloaf: submitted job ${s.id} to ${s.scheduler}; script ${s.scriptPath}, output ${s.output}\n`);
        return;
      }
      ctx.err.write(`taskloaf: submitted job ${s.id} to ${s.scheduler}; output ${s.output}\n`);
      const final = await follow(ctx, s.id, { scheduler: s.scheduler, pollMs: poll * 1000 });
      if (a.json) ctx.out.write(JSON.stringify({ ...info, state: final.state, exitCode: final.exitCode ?? null }) + '\n');
      else ctx.out.write(`${s.id}\n`);
    },
  };
}
