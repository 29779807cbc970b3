// Command-line splitting that yargs cannot do for us.
import { JOB_VALUE_OPTIONS } from './job-options.js';

// Options of `run` that take a value; everything after the script belongs to
// the script, verbatim, as with mpirun itself.
const RUN_VALUE_OPTIONS = new Set(['-n', '--np', '--n', '--bind', '--simulate-nodes', '--launcher', '--node-option']);

/**
 * Options whose values are themselves options (`--directive '--constraint=x'`,
 * `--directive '-l feature=y'`): yargs would read such a value as an option of
 * ours, so the pair is joined into `--directive=--constraint=x` first.
 */
const DASH_VALUE_OPTIONS = new Set(['--directive', '--run-option', '--node-option', '--setup']);

/** Commands that end in `script [args...]`: their value options, and positionals before the script. */
const SCRIPT_COMMANDS: Record<string, { values: Set<string>; before: number }> = {
  run: { values: RUN_VALUE_OPTIONS, before: 0 },
  submit: { values: JOB_VALUE_OPTIONS, before: 0 },
  template: { values: JOB_VALUE_OPTIONS, before: 1 },
};

/** Splits `run|submit|template [options] script args...` at the script. */
export function splitAtScript(argv: string[]): { own: string[]; scriptArgs: string[] } {
  const cmd = SCRIPT_COMMANDS[argv[0] ?? ''];
  if (!cmd) return { own: argv, scriptArgs: [] };
  let positionals = 0;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return { own: [...argv.slice(0, i), ...argv.slice(i + 1, i + 2)], scriptArgs: argv.slice(i + 2) };
    if (a.startsWith('-') && a !== '-') {
      if (cmd.values.has(a)) i++;
      continue;
    }
    if (positionals++ < cmd.before) continue;
    return { own: argv.slice(0, i + 1), scriptArgs: argv.slice(i + 1) };
  }
  return { own: argv, scriptArgs: [] };
}

/**
 * Joins each option of DASH_VALUE_OPTIONS with the word after it, so that
 * word stays its value; and any value option with a negative-looking value
 * (`--time -1h`, `-n -2`), which yargs would read as flags (`-1 -h`: help).
 */
export function glueDashValues(own: string[]): string[] {
  const values = SCRIPT_COMMANDS[own[0] ?? '']?.values ?? new Set<string>();
  const out: string[] = [];
  for (let i = 0; i < own.length; i++) {
    const a = own[i]!;
    const next = own[i + 1];
    if (next !== undefined && (DASH_VALUE_OPTIONS.has(a) || (values.has(a) && /^-[\d.]/.test(next)))) out.push(`${a}=${own[++i]}`);
    else out.push(a);
  }
  return out;
}
