// `taskloaf logs id [--follow]`: the job's output on stdout, its errors on stderr.
import type { CommandModule } from 'yargs';
import { showLogs } from '../../launch/jobs/jobs.js';
import { waitExitCode } from '../../schedulers/states.js';
import { positiveSeconds } from '../job-options.js';
import type { Context } from './context.js';

export function logsCommand(ctx: Context): CommandModule {
  return {
    command: 'logs <id>',
    describe: "print a job's output (stdout and stderr as the job wrote them)",
    builder: (y) =>
      y
        .positional('id', { type: 'string', describe: 'job id (or array task, 123_4)', demandOption: true })
        .option('follow', { alias: 'f', type: 'boolean', default: false, describe: 'keep printing until the job ends, then exit with its status' })
        .option('poll', { type: 'string', default: '0.5', describe: 'seconds between checks with --follow' }),
    handler: async (a) => {
      const final = await showLogs(String(a.id), {
        follow: a.follow as boolean,
        pollMs: positiveSeconds('--poll', a.poll) * 1000,
        stdout: (b) => ctx.out.write(b),
        stderr: (b) => ctx.err.write(b),
      });
      if (final) ctx.code = waitExitCode(final.state, final.exitCode);
    },
  };
}
