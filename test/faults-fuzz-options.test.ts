// Random job options — shell metacharacters, quotes, newlines, NUL, unicode,
// huge and odd numbers — either fail with ERR_INVALID_OPTION naming the option,
// or render a script in which nothing typed runs: the body, run by bash, hands
// every argument and --env value back verbatim and creates no file.
// TASKLOAF_FUZZ_CASES sets how many (the documented long run uses 20000).
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { OptionError } from '../src/errors.js';
import { parseMemory, parseWalltime } from '../src/schedulers/quantities.js';
import { render } from '../src/launch/jobs/render.js';
import { jobSpec, type JobOptions } from '../src/launch/jobs/spec.js';
import { memoryReference, walltimeReference } from './helpers/quantities-reference.js';

const CASES = Number(process.env.TASKLOAF_FUZZ_CASES ?? 300);
let seed = 0x5eed;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 2 ** 24;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const PIECES = [
  '$(touch PWNED)', '`touch PWNED`', "'", '"', '\\', '\n', '\r', '\0', ';', '|', '&', '>', '<', '*', '?', '~', '!', '#', '%', '{', '}', '[', ']',
  ' ', '\t', '$HOME', '${IFS}', '-', '--', '=', ':', ',', '/', '.', 'a', 'Z', '9', '0', 'é', '🙂', '\u202e', '\u0301', '\uffff', 'h', 'm', 's', 'G', 'M',
];
const NUMBERS = ['0', '-1', '1e309', '99999999999999999999', '0x10', 'NaN', 'Infinity', '-0', '1.5', '', ' 2 ', '٣'];

const VALID = ['1:00:00', '2-00:00:00', '90m', '1h30m', '4G', '512M', 'debug', 'proj1', 'out/x.log', 'me@example.org', '1-10%2', '1,3,5', 'fib', '123'];

/** Hostile pieces, or a valid value with one hostile piece spliced in, or (sometimes) a valid one. */
function fuzz(hostile = true): string {
  return hostile ? raw() : raw().replace(/[\0\n\r]/g, '');
}

function raw(): string {
  const r = rand();
  if (r < 0.2) return pick(VALID);
  if (r < 0.5) {
    const v = pick(VALID);
    const at = Math.floor(rand() * (v.length + 1));
    return v.slice(0, at) + pick(PIECES) + v.slice(at);
  }
  let s = '';
  const n = Math.floor(rand() * 8);
  for (let i = 0; i < n; i++) {
    s += rand() < 0.2 ? pick(NUMBERS) : pick(PIECES);
  }
  return s;
}

t.test('walltime and memory parsers: the reference reading, or ERR_INVALID_OPTION where it has none', async (t) => {
  let accepted = 0;
  let wrong = 0;
  for (let i = 0; i < CASES * 10; i++) {
    const s = fuzz();
    for (const [parse, reference] of [[parseWalltime, walltimeReference], [parseMemory, memoryReference]] as const) {
      const want = reference(s);
      try {
        const v = parse(s);
        accepted++;
        if (v !== want) {
          wrong++;
          t.fail(`${parse.name}(${JSON.stringify(s)}) gave ${v}; the reference reads ${want === null ? 'no quantity' : want}`);
        }
      } catch (e) {
        if (!(e instanceof OptionError) || e.code !== 'ERR_INVALID_OPTION') t.fail(`${JSON.stringify(s)} threw ${String(e)}`);
        else if (want !== null) {
          wrong++;
          t.fail(`${parse.name}(${JSON.stringify(s)}) refused what the reference reads as ${want}`);
        }
      }
      if (wrong > 10) return;
    }
  }
  t.ok(accepted > 0 && accepted < CASES * 20, `${CASES * 20} inputs, ${accepted} accepted, each equal to the reference reading, the rest refused where it reads none`);
  // The reference itself, on forms written out by hand.
  t.strictSame(['1:00:00', '2-00:00:00', '1-2:30', '90m', '1h30m', '1.5h', ' 2 h 5 s ', '1:00', '90', '0h', '1:60:00'].map(walltimeReference), [3600, 172800, 95400, 5400, 5400, 5400, 7205, null, null, null, null]);
  t.strictSame(['4G', '512M', '1.5 t', '1000K', '4', '-1G', '0M', '2X'].map(memoryReference), [4 * 2 ** 30, 512 * 2 ** 20, 1.5 * 2 ** 40, 1000 * 1024, null, null, null, null]);
});

/**
 * A directive line as a scheduler reads it is safe when it splits on spaces
 * into exactly the words meant: none of the characters a scheduler's or a
 * shell's reading gives meaning to (quotes, escapes, expansions, separators,
 * comments, redirections, globbing, whitespace, control or non-ASCII characters).
 */
function directiveLineSafe(line: string): boolean {
  const [, value] = /^#(?:SBATCH|PBS) (.*)$/.exec(line) ?? [];
  if (value === undefined) return false;
  const meaningful = new Set([..."'\"\\$`;|&<>(){}*?!#\t\r\n\v\f\0"]);
  return [...value].every((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) < 0x7f && !meaningful.has(c)) && !/  |^ | $/.test(value);
}

t.test('every hostile piece spliced into every valid value of a directive field: refused, or a safe directive line', async (t) => {
  let rendered = 0;
  let refused = 0;
  for (const scheduler of ['slurm', 'pbs'] as const) {
    for (const key of ['jobName', 'partition', 'account', 'chdir', 'mailUser', 'output'] as const) {
      for (const v of VALID) {
        for (const piece of PIECES) {
          const value = v.slice(0, 1) + piece + v.slice(1);
          let script: string;
          try {
            script = render(jobSpec({ scheduler, [key]: value }, 'app.ts', [], {}, '/tmp/p'), { node: '/bin/echo', cli: 'CLI', stamp: 's' }).script;
          } catch (e) {
            if (!(e instanceof OptionError)) t.fail(`${key}=${JSON.stringify(value)} threw ${String(e)}`);
            refused++;
            continue;
          }
          rendered++;
          for (const line of script.split('\n').filter((l) => /^#(SBATCH|PBS) /.test(l))) {
            if (!directiveLineSafe(line)) t.fail(`${scheduler} ${key}=${JSON.stringify(value)}: unsafe directive line ${JSON.stringify(line)}`);
          }
        }
      }
    }
  }
  t.ok(rendered > 0 && refused > 0, `${rendered} rendered with safe directive lines, ${refused} refused`);
});

/**
 * Runs the whole body of a rendered script as bash runs it: the working
 * directory exists, `module` logs its words, and the launch line prints its
 * words instead of running. nullglob makes an unquoted `[...]` vanish even
 * where no file matches it, so a value the checks accept but a shell would
 * read as a pattern shows when it reaches `cd` or `module load` unquoted.
 * Returns what went wrong, or [] when every word arrived unchanged.
 */
function runBody(script: string, spec: ReturnType<typeof jobSpec>, args: string[], envValue: string, dir: string): string[] {
  const problems: string[] = [];
  mkdirSync(spec.workdir, { recursive: true });
  const modules = join(dir, 'modules.log');
  rmSync(modules, { force: true });
  const body = script.replace(/^exec \/bin\/echo /m, 'printf "%s\\0" ');
  let out: string;
  try {
    out = execFileSync('bash', ['-c', `shopt -s nullglob\nmodule() { printf '%s\\0' "$@" >> "$MODULES"; }\n${body}\nprintf "%s\\0" "$PWD" "$FUZZ"`], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, MODULES: modules, HOME: join(dir, 'home') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    return [`the script failed: ${String((e as { stderr?: string }).stderr ?? e).trim()}`];
  }
  const words = out.split('\0').slice(0, -1);
  if (JSON.stringify(words.slice(4, 4 + args.length)) !== JSON.stringify(args)) problems.push(`arguments changed: ${JSON.stringify(args)} → ${JSON.stringify(words)}`);
  if (words.at(-2) !== spec.workdir) problems.push(`the job ran in ${JSON.stringify(words.at(-2))}, not ${JSON.stringify(spec.workdir)}`);
  if (words.at(-1) !== envValue) problems.push(`--env value changed: ${JSON.stringify(envValue)}`);
  const loaded = existsSync(modules) ? readFileSync(modules, 'utf8').split('\0').slice(0, -1) : [];
  if (JSON.stringify(loaded) !== JSON.stringify(spec.modules.flatMap((m) => ['load', m]))) problems.push(`module words changed: ${JSON.stringify(spec.modules)} → ${JSON.stringify(loaded)}`);
  // A command substitution that ran after `cd` touches its file there.
  for (const where of new Set([dir, spec.workdir])) if (existsSync(join(where, 'PWNED'))) problems.push(`something ran: ${join(where, 'PWNED')} exists`);
  return problems;
}

t.test('values the checks accept but a shell would change reach cd and module load unchanged', async (t) => {
  // Tilde at the start of a word, and bracket patterns: harmless only when quoted.
  const special = ['~', '~/m', '~root', 'a[b]c', '[ab]', 'x]y[z]', 'a^b', 'a=~', 'm:~/x'];
  const dir = t.testdir({ home: {} });
  let checked = 0;
  for (const scheduler of ['slurm', 'pbs'] as const) {
    for (const value of special) {
      for (const opts of [{ chdir: value }, { module: [value] }]) {
        const args = ['a', value];
        const spec = jobSpec({ scheduler, ...opts, env: ['FUZZ=x'] }, 'app.ts', args, {}, dir);
        const script = render(spec, { node: '/bin/echo', cli: 'CLI', stamp: 's' }).script;
        for (const p of runBody(script, spec, args, 'x', dir)) t.fail(`${scheduler} ${JSON.stringify(opts)}: ${p}`);
        checked++;
      }
    }
  }
  t.equal(checked, 36, 'every value through cd and through module load, for Slurm and PBS');
});

t.test('rendered scripts run nothing that was typed', async (t) => {
  const dir = t.testdir({ home: {} });
  let rendered = 0;
  let refused = 0;
  let withModules = 0;
  let withChdir = 0;
  let ranSomething = false;
  for (let i = 0; i < CASES; i++) {
    const keys: (keyof JobOptions)[] = ['jobName', 'partition', 'account', 'time', 'mem', 'output', 'logDir', 'chdir', 'mailUser', 'array'];
    const opts: JobOptions = { scheduler: pick(['slurm', 'pbs'] as const), dialect: pick(['pbspro', 'torque'] as const) };
    // One case in three fuzzes only the module and the working directory, so
    // that enough of those render and their lines run (a refused option
    // anywhere refuses the whole script).
    if (i % 3 === 0) {
      opts.module = [fuzz()];
      opts.chdir = fuzz();
    } else for (const k of keys) if (rand() < 0.15) (opts as Record<string, unknown>)[k] = fuzz();
    if (i % 3 !== 0 && rand() < 0.3) opts.nodes = pick([0, 1, 2, -1, 1.5, 2 ** 53, Number.NaN]);
    if (i % 3 !== 0 && rand() < 0.3) opts.dependency = [`afterok:${fuzz()}`];
    if (i % 3 !== 0 && rand() < 0.3) opts.module = [fuzz()];
    // Arguments and --env values may hold anything but NUL (no shell word can) and,
    // for --env, line breaks: those are refused, tested in scheduler-options.
    const envValue = fuzz(false);
    opts.env = [`FUZZ=${envValue}`];
    const args = [fuzz(false), fuzz(false), fuzz(false)];
    let script: string;
    try {
      script = render(jobSpec(opts, 'app.ts', args, {}, dir), { node: '/bin/echo', cli: 'CLI', stamp: 's' }).script;
    } catch (e) {
      if (!(e instanceof OptionError) || e.code !== 'ERR_INVALID_OPTION') t.fail(`threw ${String(e)} for ${JSON.stringify(opts)}`);
      refused++;
      continue;
    }
    rendered++;
    for (const line of script.split('\n').filter((l) => /^#(SBATCH|PBS) /.test(l))) {
      if (!directiveLineSafe(line)) t.fail(`unsafe directive line ${JSON.stringify(line)}`);
    }
    const spec = jobSpec(opts, 'app.ts', args, {}, dir);
    const problems = runBody(script, spec, args, envValue, dir);
    for (const p of problems) t.fail(`${JSON.stringify(opts)}: ${p}`);
    if (problems.some((p) => p.startsWith('something ran'))) ranSomething = true;
    if (spec.modules.length) withModules++;
    if (spec.workdir !== dir) withChdir++;
  }
  t.ok(withModules > 0 && withChdir > 0, `${withModules} scripts loaded modules and ${withChdir} changed directory, and their words arrived unchanged`);
  t.notOk(ranSomething, 'nothing ran');
  t.ok(rendered > 0 && refused > 0, `${rendered} rendered and ran inert, ${refused} refused`);
});
