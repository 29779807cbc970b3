#!/usr/bin/env node
// The taskloaf command line.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { TaskloafError } from '../errors.js';
import { run } from '../launch/run.js';
import { splitAtScript } from './argv.js';

async function main(argv: string[]): Promise<number> {
  let status = 0;
  const { own, scriptArgs } = splitAtScript(argv);
  await yargs(own)
    .scriptName('taskloaf')
    .usage('$0 <command> [options]')
    .command(
      'run <script> [args..]',
      'run a script on N local MPI ranks (mpirun/mpiexec, one core each)',
      (y) =>
        y
          .positional('script', { type: 'string', describe: 'program to run on every rank (.ts or .js)', demandOption: true })
          .positional('args', { type: 'string', array: true, describe: 'arguments passed to the script, verbatim' })
          .option('n', { alias: ['np'], type: 'number', default: 1, describe: 'number of ranks' })
          .option('oversubscribe', { type: 'boolean', default: false, describe: 'allow more ranks than cores' })
          .option('bind', {
            choices: ['core', 'self', 'none'] as const,
            default: 'core' as const,
            describe: 'core: the launcher binds each rank to a core; self: each rank pins itself from the topology; none: no binding',
          })
          .option('tcp', { type: 'boolean', default: false, describe: 'use the network path even between ranks of one machine' })
          .option('report-bindings', { type: 'boolean', default: false, describe: 'print where each rank runs' })
          .option('simulate-nodes', { type: 'number', describe: 'treat groups of ranks as that many different nodes (use with --tcp)' }),
      async (a) => {
        status = await run({
          np: a.n,
          oversubscribe: a.oversubscribe,
          bind: a.bind,
          tcp: a.tcp,
          reportBindings: a['report-bindings'],
          simulateNodes: a['simulate-nodes'],
          script: a.script,
          args: scriptArgs,
        });
      },
    )
    .demandCommand(1, 'name a command: run')
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .fail((msg, err) => {
      throw err ?? new TaskloafError('ERR_USAGE', msg);
    })
    .parseAsync();
  return status;
}

main(hideBin(process.argv)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const e = err as TaskloafError;
    process.stderr.write(`taskloaf: ${e.message ?? String(err)}${e.code ? ` [${e.code}]` : ''}\n`);
    process.exit(2);
  },
);
