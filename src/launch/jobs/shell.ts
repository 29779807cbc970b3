// Quoting for the job script. Values the user typed reach the script body only
// single-quoted (the shell expands nothing inside), and reach `#SBATCH`/`#PBS`
// lines only after a character check: the schedulers parse those lines with
// their own rules, so a value there must need no quoting at all.
import { OptionError } from '../../errors.js';

/** One shell word, inert: `it's` → `'it'\''s'`. */
export function quote(word: string): string {
  if (word.includes('\0')) throw new OptionError('argument', 'contains a NUL byte, which no shell word can hold');
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A command line of shell words. */
export function quoteAll(words: readonly string[]): string {
  return words.map(quote).join(' ');
}

/** Characters a directive value may hold: no spaces, quotes, `$`, backquotes or newlines. */
const DIRECTIVE_SAFE = /^[A-Za-z0-9_@%+=:,./\-[\]^~]+$/;

/** Checks a value for a `#SBATCH`/`#PBS` line; throws naming the option otherwise. */
export function directiveValue(value: string, option: string, source?: string): string {
  if (value === '') throw new OptionError(option, 'is empty', source);
  // A leading dash would read as another option on `#PBS -q -x` or `module load -x`.
  if (value.startsWith('-')) throw new OptionError(option, `${JSON.stringify(value)} starts with '-'`, source);
  if (!DIRECTIVE_SAFE.test(value)) {
    const bad = [...value].find((c) => !DIRECTIVE_SAFE.test(c))!;
    const shown = bad === '\n' ? 'a newline' : bad === ' ' ? 'a space' : `'${bad}'`;
    throw new OptionError(
      option,
      `${JSON.stringify(value)} contains ${shown}; scheduler directives take letters, digits and _@%+=:,./-[]^~ only`,
      source,
    );
  }
  return value;
}

/** A verbatim line for the script (a directive or a setup command): one line, no NUL. */
export function oneLine(value: string, option: string, source?: string): string {
  if (/[\n\r\0]/.test(value)) throw new OptionError(option, `${JSON.stringify(value)} must be a single line`, source);
  return value;
}
