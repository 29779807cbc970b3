// The taskloaf command line: one file per command in commands/.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { SchedulerError, TaskloafError } from '../errors.js';
import { glueDashValues, splitAtScript } from './argv.js';
import { benchCommand } from './commands/bench.js';
import { cancelCommand } from './commands/cancel.js';
import { EXIT, type Context } from './commands/context.js';
import { doctorCommand } from './commands/doctor.js';
import { logsCommand } from './commands/logs.js';
import { runCommand } from './commands/run.js';
import { statusCommand } from './commands/status.js';
import { submitCommand } from './commands/submit.js';
import { templateCommand } from './commands/template.js';

/** Commands whose options before the script shape a job. */
const JOB_COMMANDS = new Set(['template', 'submit']);

/** The option words in `words` that none of the options yargs knows (with aliases) name. */
function unknownOptions(words: string[], options: { key: Record<string, unknown>; alias: Record<string, string[]> }): string[] {
  const known = new Set<string>(['help', 'version']);
  for (const k of Object.keys(options.key)) known.add(k);
  for (const [k, as] of Object.entries(options.alias)) [k, ...as].forEach((a) => known.add(a));
  const names = words
    .filter((w) => /^--?[^-\d]/.test(w))
    .map((w) => w.replace(/^--?(no-)?/, '').replace(/=.*$/, ''));
  // Short options may be bundled (-Nc): every letter must be known.
  const isKnown = (w: string, n: string) => known.has(n) || (/^-[^-]/.test(w) && [...n].every((c) => known.has(c)));
  return words.filter((w) => /^--?[^-\d]/.test(w)).filter((w, i) => !isKnown(w, names[i]!)).map((w) => w.replace(/=.*$/, ''));
}

async function main(argv: string[]): Promise<number> {
  const { own, scriptArgs } = splitAtScript(argv);
  const ctx: Context = { scriptArgs, code: EXIT.ok, out: process.stdout, err: process.stderr };
  const parser = yargs(glueDashValues(own));
  await parser
    .scriptName('taskloaf')
    .usage('$0 <command> [options]')
    .command(runCommand(ctx))
    .command(templateCommand(ctx))
    .command(submitCommand(ctx))
    .command(statusCommand(ctx))
    .command(logsCommand(ctx))
    .command(cancelCommand(ctx))
    .command(benchCommand(ctx))
    .command(doctorCommand(ctx))
    .middleware(() => {
      // `template slurm app.ts --nodes 2` gives --nodes to app.ts, as it
      // must (the script's arguments are verbatim), but rarely on purpose.
      if (!JOB_COMMANDS.has(own[0] ?? '') || argv.includes('--')) return;
      const opts = (parser as unknown as { getOptions(): Parameters<typeof unknownOptions>[1] }).getOptions();
      const words = ctx.scriptArgs.filter((w) => /^--?[^-\d]/.test(w) && !/^--?(h|help|version)(=|$)/.test(w));
      const unknown = new Set(unknownOptions(words, opts));
      const ours = words.filter((w) => !unknown.has(w.replace(/=.*$/, ''))).map((w) => w.replace(/=.*$/, ''));
      if (ours.length > 0) {
        ctx.err.write(`taskloaf: warning: ${[...new Set(ours)].join(', ')} after the script ${ours.length > 1 ? 'go' : 'goes'} to the script as its arguments, not to the job; put job options before the script (or write -- before the script to say this is meant)\n`);
      }
    }, false)
    .demandCommand(1, 'name a command: run, template, submit, status, logs, cancel, bench or doctor')
    .completion('completion', 'print a bash/zsh completion script (add `source <(taskloaf completion)` to your shell profile)')
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .epilogue('Exit status: 0 ok; 1 doctor found a problem; 2 bad usage or option; 3 the scheduler failed; with submit --wait and logs --follow, the job\'s own (124 timeout, 130 cancelled), and 125 when the scheduler failed.')
    .fail((msg, err) => {
      if (err) throw err;
      // yargs gives an unknown option the next word as its value and then
      // misses the script; name the option instead.
      const unknown = unknownOptions(own, (parser as unknown as { getOptions(): Parameters<typeof unknownOptions>[1] }).getOptions());
      if (unknown.length > 0) throw new TaskloafError('ERR_USAGE', `unknown option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (see ${own[0] && !own[0].startsWith('-') ? `taskloaf ${own[0]} --help` : 'taskloaf --help'})`);
      throw new TaskloafError('ERR_USAGE', msg);
    })
    .parseAsync();
  return ctx.code;
}

/** Whether the command exits with a job's own status: submit --wait, logs --follow. */
function waiting(argv: string[]): boolean {
  const { own } = splitAtScript(argv);
  if (own[0] === 'submit') return own.some((w) => /^--wait(=true)?$/.test(w));
  if (own[0] === 'logs') return own.some((w) => /^(--follow(=true)?|-f)$/.test(w));
  return false;
}

const argv = hideBin(process.argv);
main(argv).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const e = err as TaskloafError;
    process.stderr.write(`taskloaf: ${e.message ?? String(err)}${e.code ? ` [${e.code}]` : ''}\n`);
    if (!(err instanceof SchedulerError)) process.exit(EXIT.usage);
    process.exit(waiting(argv) ? EXIT.schedulerWhileWaiting : EXIT.scheduler);
  },
);
