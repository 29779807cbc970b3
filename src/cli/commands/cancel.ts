// `taskloaf cancel id...`: scancel or qdel each; the scheduler's message on failure.
import type { CommandModule } from 'yargs';
import { schedulerNames } from '../../schedulers/registry.js';
import { cancelJob } from '../../launch/jobs/jobs.js';
import { EXIT, type Context } from './context.js';

export function cancelCommand(ctx: Context): CommandModule {
  return {
    command: 'cancel <ids..>',
    describe: 'cancel jobs',
    builder: (y) =>
      y
        .positional('ids', { type: 'string', array: true, describe: 'job ids', demandOption: true })
        .option('scheduler', { choices: schedulerNames(), describe: 'default: the one that took the job, else the one installed' }),
    handler: async (a) => {
      for (const id of (a.ids as string[]).map(String)) {
        try {
          await cancelJob(id, a.scheduler ? { scheduler: a.scheduler as string } : {});
          ctx.err.write(`taskloaf: cancelled ${id}\n`);
        } catch (e) {
          const err = e as Error & { code?: string };
          ctx.err.write(`taskloaf: ${err.message}${err.code ? ` [${err.code}]` : ''}\n`);
          ctx.code = EXIT.scheduler;
        }
      }
    },
  };
}
