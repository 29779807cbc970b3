// `taskloaf template <scheduler> script.ts`: the job script, printed, not submitted.
import type { CommandModule } from 'yargs';
import { oneOf, schedulerNames, schedulers } from '../../schedulers/registry.js';
import { existsSync } from 'node:fs';
import { LaunchError } from '../../errors.js';
import { makeLogDirectories, render } from '../../launch/jobs/render.js';
import { newStamp } from '../../launch/jobs/submit.js';
import { declareJobOptions, specFrom } from '../job-options.js';
import type { Context } from './context.js';

export function templateCommand(ctx: Context): CommandModule {
  return {
    command: 'template <scheduler> <script> [args..]',
    describe: `print the job script for ${oneOf(schedulers().map((s) => s.title))} without submitting it`,
    builder: (y) =>
      declareJobOptions(
        y
          .positional('scheduler', { choices: schedulerNames(), describe: 'which scheduler the script is for', demandOption: true })
          .positional('script', { type: 'string', describe: 'program the job runs on every rank', demandOption: true })
          .positional('args', { type: 'string', array: true, describe: 'arguments passed to the script, verbatim' }),
      ),
    handler: async (a) => {
      const script = a.script as string;
      if (!existsSync(script)) throw new LaunchError('ERR_SCRIPT_NOT_FOUND', `script not found: ${script}`);
      const spec = await specFrom(a, script, ctx.scriptArgs, a.scheduler as string, (l) => ctx.err.write(l));
      const { script: text, logs } = render(spec, { stamp: newStamp(), ...(a.template ? { template: a.template as string } : {}) });
      // The script is for submitting by hand: the directories its logs go to
      // must exist by then, and nothing else would create them.
      // Rendering still works where it cannot: the user is told what to make.
      try {
        for (const d of makeLogDirectories(spec, logs)) ctx.err.write(`taskloaf: created ${d} for the job's logs\n`);
      } catch (e) {
        ctx.err.write(`taskloaf: warning: cannot create the log directory (${(e as Error).message}); create it before submitting, or use --log-dir\n`);
      }
      ctx.out.write(text);
    },
  };
}
