// The taskloaf command line: one file per command in commands/.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { SchedulerError, TaskloafError } from '../errors.js';
import { glueDashValues, splitAtScript } from './argv.js';
import { benchCommand } from './commands/bench.js';
import { cancelCommand } from './commands/cancel.js';
import { EXIT, type Context } from './commands/context.js';
import { logsCommand } from './commands/logs.js';
import { runCommand } from './commands/run.js';
import { statusCommand } from './commands/status.js';
import { submitCommand } from './commands/submit.js';
import { templateCommand } from './commands/template.js';

async function main(argv: string[]): Promise<number> {
  const { own, scriptArgs } = splitAtScript(argv);
  const ctx: Context = { scriptArgs, code: EXIT.ok, out: process.stdout, err: process.stderr };
  await yargs(glueDashValues(own))
    .scriptName('taskloaf')
    .usage('$0 <command> [options]')
    .command(runCommand(ctx))
    .command(templateCommand(ctx))
    .command(submitCommand(ctx))
    .command(statusCommand(ctx))
    .command(logsCommand(ctx))
    .command(cancelCommand(ctx))
    .command(benchCommand(ctx))
    .demandCommand(1, 'name a command: run, template, submit, status, logs, cancel or bench')
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .epilogue('Exit status: 0 ok; 2 bad usage or option; 3 the scheduler failed; with submit --wait and logs --follow, the job\'s own (124 timeout, 130 cancelled).')
    .fail((msg, err) => {
      throw err ?? new TaskloafError('ERR_USAGE', msg);
    })
    .parseAsync();
  return ctx.code;
}

main(hideBin(process.argv)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const e = err as TaskloafError;
    process.stderr.write(`taskloaf: ${e.message ?? String(err)}${e.code ? ` [${e.code}]` : ''}\n`);
    process.exit(err instanceof SchedulerError ? EXIT.scheduler : EXIT.usage);
  },
);
