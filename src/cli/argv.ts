// Command-line splitting that yargs cannot do for us.

// Options of `run` that take a value; everything after the script belongs to
// the script, verbatim, as with mpirun itself.
const RUN_VALUE_OPTIONS = new Set(['-n', '--np', '--n', '--bind', '--simulate-nodes']);

/** Splits `run [options] script args...` at the script. */
export function splitAtScript(argv: string[]): { own: string[]; scriptArgs: string[] } {
  if (argv[0] !== 'run') return { own: argv, scriptArgs: [] };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return { own: [...argv.slice(0, i), ...argv.slice(i + 1, i + 2)], scriptArgs: argv.slice(i + 2) };
    if (a.startsWith('-')) {
      if (RUN_VALUE_OPTIONS.has(a)) i++;
      continue;
    }
    return { own: argv.slice(0, i + 1), scriptArgs: argv.slice(i + 1) };
  }
  return { own: argv, scriptArgs: [] };
}
