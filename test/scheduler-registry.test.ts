// The scheduler registry is the one place that knows which schedulers exist:
// every registered one implements the whole interface, the CLI offers exactly
// the registered names, a third scheduler registered here is taken by the
// spec check, rendering, job ids, allocation detection and the arena's job id
// without any other file knowing it, and no code outside src/schedulers tests
// a scheduler's name or reads its variables.
import t from 'tap';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { jobIdFromEnv } from '../src/arena/names.js';
import { cancelCommand } from '../src/cli/commands/cancel.js';
import type { Context } from '../src/cli/commands/context.js';
import { statusCommand } from '../src/cli/commands/status.js';
import { templateCommand } from '../src/cli/commands/template.js';
import { detectAllocation } from '../src/launch/allocation.js';
import { runLaunchers } from '../src/launch/run.js';
import { render } from '../src/launch/jobs/render.js';
import { jobSpec } from '../src/launch/jobs/spec.js';
import { parseJobId } from '../src/schedulers/jobid.js';
import { registerScheduler, scheduler, schedulerNames, schedulers } from '../src/schedulers/registry.js';
import type { Scheduler } from '../src/schedulers/scheduler.js';
import { root } from './helpers/ranks.js';

// Every member of the interface and what it must be; `satisfies` keeps this
// list complete when the interface grows (typecheck the tests to see).
const MEMBERS = {
  name: 'string',
  title: 'string',
  dialects: 'array',
  dialectForms: 'optional object',
  submitProgram: 'string',
  queryProgram: 'string',
  detectDialect: 'optional function',
  template: 'function',
  directivePrefix: 'string',
  directives: 'function',
  directiveKeys: 'function',
  logPaths: 'function',
  fillLogPath: 'function',
  refuse: 'optional function',
  timeLimitWarning: 'optional object',
  walltime: 'function',
  memory: 'function',
  parseJobId: 'function',
  state: 'function',
  submitCommand: 'function',
  submitDirectory: 'function',
  namesFilesById: 'boolean',
  status: 'function',
  list: 'function',
  cancel: 'function',
  requeueCommand: 'optional function',
  runningJob: 'function',
  allocation: 'function',
  allocationVariable: 'string',
  ownLauncher: 'optional object',
} as const satisfies Record<keyof Scheduler, string>;

function kindOf(v: unknown): string {
  return Array.isArray(v) ? 'array' : typeof v;
}

t.test('every registered scheduler implements the whole interface', async (t) => {
  t.same(schedulerNames(), ['slurm', 'pbs'], 'Slurm first: ids and environments both could read are Slurm\'s');
  for (const s of schedulers()) {
    for (const [member, want] of Object.entries(MEMBERS)) {
      const v = (s as unknown as Record<string, unknown>)[member];
      if (want.startsWith('optional ')) {
        if (v !== undefined) t.equal(kindOf(v), want.slice('optional '.length), `${s.name}.${member}`);
      } else {
        t.equal(kindOf(v), want, `${s.name}.${member}`);
      }
    }
    t.equal(scheduler(s.name), s, `scheduler(${JSON.stringify(s.name)}) finds it`);
    t.ok(s.walltime(5400).length > 0 && s.memory(2 ** 30).length > 0, `${s.name} writes walltime and memory`);
    for (const d of s.dialects.length > 0 ? s.dialects : ['']) {
      t.ok(statSync(join(root, s.template(d))).isFile(), `${s.name} ships ${s.template(d)}`);
    }
  }
  t.throws(() => scheduler('lsf'), { code: 'ERR_INVALID_OPTION', message: /--scheduler: must be slurm or pbs, got "lsf"/ });
});

/** The options and positionals a command declares (`option:x`, `positional:x`), recorded by a stand-in for yargs. */
function declared(build: (y: never) => unknown): Map<string, Record<string, unknown>> {
  const seen = new Map<string, Record<string, unknown>>();
  const y: unknown = new Proxy(
    {},
    {
      get: (_target, prop) => (name: string, config: Record<string, unknown>) => {
        if (prop === 'option' || prop === 'positional') seen.set(`${prop}:${name}`, config);
        return y;
      },
    },
  );
  build(y as never);
  return seen;
}

const ctx = { scriptArgs: [], code: 0, out: process.stdout, err: process.stderr } as unknown as Context;
const builder = (c: { builder?: unknown }) => c.builder as (y: never) => unknown;

function cliChoices(): Record<string, unknown> {
  return {
    template: declared(builder(templateCommand(ctx))).get('positional:scheduler')?.choices,
    status: declared(builder(statusCommand(ctx))).get('option:scheduler')?.choices,
    cancel: declared(builder(cancelCommand(ctx))).get('option:scheduler')?.choices,
  };
}

t.test("the CLI's scheduler choices are the registry's names", async (t) => {
  for (const [command, choices] of Object.entries(cliChoices())) t.same(choices, schedulerNames(), command);
  t.same(runLaunchers(), ['auto', 'mpiexec', 'srun', 'local'], "--launcher: mpiexec, then the schedulers' own");
});

/** A third scheduler, in the shape of LSF, known to nothing but this test. */
function fakeLsf(template: string): Scheduler {
  return {
    name: 'lsf',
    title: 'LSF',
    dialects: [],
    submitProgram: 'bsub-not-installed',
    queryProgram: 'bjobs-not-installed',
    template: () => template,
    directivePrefix: '#BSUB',
    directives: (spec, logs) => [
      { key: 'J', text: `-J ${spec.jobName}` },
      { key: 'n', text: `-n ${spec.nodes * spec.ntasksPerNode}` },
      ...(spec.walltime !== undefined ? [{ key: 'W', text: `-W ${Math.ceil(spec.walltime / 60)}` }] : []),
      { key: 'o', text: `-o ${logs.output}` },
      { key: 'e', text: `-e ${logs.error}` },
    ],
    directiveKeys: (d) => [/^-(\w+)/.exec(d)?.[1] ?? d],
    logPaths: (spec) => ({ output: join(spec.logDir, `${spec.jobName}-%J.out`), error: join(spec.logDir, `${spec.jobName}-%J.err`) }),
    fillLogPath: (p, { seq }) => p.replace(/%J/g, seq),
    walltime: (s) => String(Math.ceil(s / 60)),
    memory: (b) => `${Math.ceil(b / 2 ** 20)}MB`,
    parseJobId: (text) => {
      const m = /^Job <(\d+)> is submitted/.exec(text.trim());
      return m ? { id: m[1]!, seq: m[1]! } : null;
    },
    state: (raw) => (raw === 'RUN' ? 'running' : raw === 'DONE' ? 'completed' : 'unknown'),
    submitCommand: (script) => ['bsub', script],
    submitDirectory: (spec) => spec.workdir,
    namesFilesById: true,
    status: async (id) => ({ id, state: 'unknown', source: 'bjobs' }),
    list: async () => [],
    cancel: async () => {},
    runningJob: (env) => (env.LSB_JOBID ? { scheduler: 'lsf', id: env.LSB_JOBID } : null),
    allocation: (env) => (env.LSB_JOBID ? { scheduler: 'lsf', jobId: env.LSB_JOBID, tasks: Number(env.LSB_DJOB_NUMPROC ?? 1), nodes: 1 } : null),
    allocationVariable: 'LSB_JOBID',
  };
}

t.test('a third scheduler registered here is taken everywhere a scheduler is picked', async (t) => {
  const dir = t.testdir({ 'lsf.sh': '#!/bin/bash\n{{directives}}\n# for {{scheduler}}\n{{launch}}\n' });
  const script = join(root, 'examples', 'fib.ts');
  t.throws(() => jobSpec({ scheduler: 'lsf' }, script), { message: /must be slurm or pbs, got "lsf"/ }, 'unknown before it is registered');

  const unregister = registerScheduler(fakeLsf(join(dir, 'lsf.sh')));
  t.teardown(unregister);
  t.same(schedulerNames(), ['slurm', 'pbs', 'lsf']);
  for (const [command, choices] of Object.entries(cliChoices())) t.same(choices, ['slurm', 'pbs', 'lsf'], `${command} offers it`);

  const spec = jobSpec({ scheduler: 'lsf', nodes: 2, ntasksPerNode: 3, time: '90m', directive: ['-W 5'] }, script, [], {}, dir);
  t.equal(spec.scheduler, 'lsf', 'the spec check takes it');
  const { script: text, logs } = render(spec, { stamp: 'x' });
  t.equal(logs.output, join(dir, 'taskloaf-jobs', 'fib-%J.out'), 'its log names');
  t.match(text, /^#!\/bin\/bash\n#BSUB -J fib\n#BSUB -n 6\n#BSUB -o \S+fib-%J\.out\n#BSUB -e \S+fib-%J\.err\n#BSUB -W 5\n# for lsf\nexec /, 'its template, prefix and directives; the user\'s -W wins');
  t.throws(() => jobSpec({ scheduler: 'lsf', signalBefore: '2m' }, script), { message: /--signal-before: needs Slurm: LSF sends no warning/ });
  t.throws(() => jobSpec({ scheduler: 'nqs' }, script), { message: /must be slurm, pbs or lsf, got "nqs"/ });

  t.same(parseJobId('Job <77> is submitted to queue <normal>.'), { id: '77', seq: '77' }, 'its job ids');
  t.same(parseJobId('88.head'), { id: '88.head', seq: '88', server: 'head' }, 'the others still first');
  t.same(detectAllocation({ LSB_JOBID: '77', LSB_DJOB_NUMPROC: '4' }), { scheduler: 'lsf', jobId: '77', tasks: 4, nodes: 1 }, 'its allocation');
  t.equal(jobIdFromEnv({ LSB_JOBID: '77' }), 'lsf77', 'the arena names its segments after its job');

  unregister();
  t.same(schedulerNames(), ['slurm', 'pbs'], 'and gone again');
  t.equal(detectAllocation({ LSB_JOBID: '77' }), null);
});

/** Every .ts file under a directory. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The code of a file without its comments (line comments and JSDoc/block lines). */
function code(path: string): string {
  return readFileSync(path, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .map((l) => l.replace(/(^|\s)\/\/.*$/, ''))
    .join('\n');
}

t.test('no code outside src/schedulers names a scheduler or reads its variables', async (t) => {
  const src = join(root, 'src');
  const outside = sources(src).filter((f) => !relative(src, f).startsWith('schedulers/'));
  t.ok(outside.length > 50, 'the other source files are read');
  const bad: string[] = [];
  for (const f of outside) {
    const text = code(f);
    for (const re of [/['"`](slurm|pbs|pbspro|torque)['"`]/, /\b(SLURM|PBS)_[A-Z_]+/, /['"`](sbatch|squeue|scontrol|scancel|sacct|qsub|qstat|qdel|srun)['"`]/]) {
      const m = re.exec(text);
      if (m) bad.push(`${relative(root, f)}: ${m[0]}`);
    }
  }
  t.same(bad, [], 'scheduler names, commands and variables only in src/schedulers');
});

t.test('src/schedulers imports only src/errors.ts and Node builtins', async (t) => {
  const dir = join(root, 'src', 'schedulers');
  const bad: string[] = [];
  for (const f of sources(dir)) {
    for (const m of readFileSync(f, 'utf8').matchAll(/^import .*? from '([^']+)';$/gm)) {
      const target = m[1]!;
      if (target.startsWith('node:')) continue;
      const full = join(f, '..', target);
      if (full === join(root, 'src', 'errors.js') || relative(dir, full).split('/')[0] !== '..') continue;
      bad.push(`${relative(root, f)} imports ${target}`);
    }
  }
  t.same(bad, []);
});
