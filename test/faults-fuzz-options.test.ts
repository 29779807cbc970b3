// Random job options — shell metacharacters, quotes, newlines, NUL, unicode,
// huge and odd numbers — either fail with ERR_INVALID_OPTION naming the option,
// or render a script in which nothing typed runs: the body, run by bash, hands
// every argument and --env value back verbatim and creates no file.
// TASKLOAF_FUZZ_CASES sets how many (the documented long run uses 20000).
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { OptionError } from '../src/errors.js';
import { parseMemory, parseWalltime } from '../src/launch/scheduler/quantities.js';
import { render } from '../src/launch/scheduler/render.js';
import { jobSpec, type JobOptions } from '../src/launch/scheduler/spec.js';

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

t.test('walltime and memory parsers: a number, or ERR_INVALID_OPTION', async (t) => {
  let accepted = 0;
  for (let i = 0; i < CASES * 10; i++) {
    const s = fuzz();
    for (const parse of [parseWalltime, parseMemory]) {
      try {
        const v = parse(s);
        if (!Number.isSafeInteger(v) || v <= 0) t.fail(`${JSON.stringify(s)} gave ${v}`);
        accepted++;
      } catch (e) {
        if (!(e instanceof OptionError) || e.code !== 'ERR_INVALID_OPTION') t.fail(`${JSON.stringify(s)} threw ${String(e)}`);
      }
    }
  }
  t.pass(`${CASES * 20} inputs, ${accepted} accepted`);
});

t.test('rendered scripts run nothing that was typed', async (t) => {
  const dir = t.testdir({});
  const pwned = join(dir, 'PWNED');
  let rendered = 0;
  let refused = 0;
  for (let i = 0; i < CASES; i++) {
    const keys: (keyof JobOptions)[] = ['jobName', 'partition', 'account', 'time', 'mem', 'output', 'logDir', 'chdir', 'mailUser', 'array'];
    const opts: JobOptions = { scheduler: pick(['slurm', 'pbs'] as const), dialect: pick(['pbspro', 'torque'] as const) };
    for (const k of keys) if (rand() < 0.15) (opts as Record<string, unknown>)[k] = fuzz();
    if (rand() < 0.3) opts.nodes = pick([0, 1, 2, -1, 1.5, 2 ** 53, Number.NaN]);
    if (rand() < 0.3) opts.dependency = [`afterok:${fuzz()}`];
    if (rand() < 0.3) opts.module = [fuzz()];
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
      if (!/^#(SBATCH|PBS) [A-Za-z0-9_@%+=:,./\-[\]^~ ]+$/.test(line)) t.fail(`unsafe directive line ${JSON.stringify(line)}`);
    }
    // The body as bash runs it, with the launch line printing its words.
    const body = script
      .split('\n')
      .filter((l) => !l.startsWith('cd ') && !l.startsWith('module load'))
      .join('\n')
      .replace(/^exec \/bin\/echo /m, 'printf "%s\\0" ');
    const out = execFileSync('bash', ['-c', `${body}\nprintf "%s\\0" "$FUZZ"`], { cwd: dir, encoding: 'utf8' });
    const words = out.split('\0').slice(0, -1);
    if (JSON.stringify(words.slice(4, 4 + args.length)) !== JSON.stringify(args)) t.fail(`arguments changed: ${JSON.stringify(args)} → ${JSON.stringify(words)}`);
    if (words.at(-1) !== envValue) t.fail(`--env value changed: ${JSON.stringify(envValue)}`);
  }
  t.notOk(existsSync(pwned), 'nothing ran');
  t.ok(rendered > 0 && refused > 0, `${rendered} rendered and ran inert, ${refused} refused`);
});
