// Numbers in a job request are exact integers within bounds, and no request
// makes a template list an unbounded number of array indices: a count past
// 2^53 would render as 1e+23, and Torque's stepped ranges are written out.
import t from 'tap';
import { jobOptionsFrom } from '../src/cli/job-options.js';
import { render } from '../src/launch/jobs/render.js';
import { jobSpec, type JobOptions } from '../src/launch/jobs/spec.js';
import { withoutSteps } from '../src/schedulers/pbs/directives.js';

// The documented bounds (MAX_COUNT, MAX_ARRAY_INDEX in spec.ts, MAX_TORQUE_LISTED).
const MAX_COUNT = 1_000_000;
const MAX_ARRAY_INDEX = 4_000_000;
const MAX_TORQUE_LISTED = 10_000;

const fixed = { node: '/usr/bin/node', cli: '/cli.js', stamp: 's' };
const script = (o: JobOptions) => render(jobSpec(o, 'app.ts', [], {}, '/tmp/p'), fixed).script;
const invalid = (option: string, message?: RegExp) => ({ code: 'ERR_INVALID_OPTION', option, ...(message ? { message } : {}) });

t.test('a count typed past 2^53 is refused, naming the option and what was typed', async (t) => {
  for (const flag of ['nodes', 'ntasks-per-node', 'cpus-per-task', 'gpus']) {
    t.throws(() => jobOptionsFrom({ [flag]: '99999999999999999999999' }), invalid(`--${flag}`, /"99999999999999999999999"/), flag);
  }
  t.same(jobOptionsFrom({ nodes: '12' }), { nodes: 12 });
});

t.test('counts have upper bounds in every scheduler and from a config file', async (t) => {
  for (const scheduler of ['slurm', 'pbs']) {
    t.throws(() => script({ scheduler, nodes: 1e23 }), invalid('--nodes', /at most 1000000/), `${scheduler}: 1e23 nodes`);
    t.throws(() => script({ scheduler, nodes: MAX_COUNT + 1 }), invalid('--nodes'));
    t.throws(() => script({ scheduler, ntasksPerNode: MAX_COUNT + 1 }), invalid('--ntasks-per-node'));
    t.throws(() => script({ scheduler, cpusPerTask: MAX_COUNT + 1 }), invalid('--cpus-per-task'));
    t.throws(() => script({ scheduler, gpus: MAX_COUNT + 1 }), invalid('--gpus'));
    t.throws(() => script({ scheduler, nodes: MAX_COUNT, ntasksPerNode: MAX_COUNT }), invalid('--ntasks-per-node', /more than MPI can number/));
    t.throws(() => script({ scheduler, ntasksPerNode: 1000, cpusPerTask: 10_000 }), invalid('--cpus-per-task'));
    const big = script({ scheduler, nodes: MAX_COUNT, ntasksPerNode: 2000 });
    t.notMatch(big, /e\+/, `${scheduler}: the largest request renders without an exponent`);
    t.match(big, /1000000/);
  }
});

t.test('array indices and throttles have an upper bound', async (t) => {
  t.throws(() => script({ array: '1-99999999999999999999999' }), invalid('--array', /99999999999999999999999 is above 4000000/));
  t.throws(() => script({ array: `${MAX_ARRAY_INDEX + 1}` }), invalid('--array'));
  t.throws(() => script({ array: '1-10:99999999999999999999' }), invalid('--array'));
  t.throws(() => script({ array: '1-10%99999999999999999999' }), invalid('--array', /%99999999999999999999/));
  t.match(script({ array: `1-${MAX_ARRAY_INDEX}%4` }), `--array=1-${MAX_ARRAY_INDEX}%4`);
});

t.test('Torque writes out stepped ranges only up to a bound', async (t) => {
  const torque = (array: string) => script({ scheduler: 'pbs', dialect: 'torque', array });
  t.match(torque('1-1000000:1'), /^#PBS -t 1-1000000$/m, 'a step of 1 stays a range');
  t.match(torque('1-9:2,20'), /^#PBS -t 1,3,5,7,9,20$/m);
  const listed = /^#PBS -t (.*)$/m.exec(torque(`1-${2 * MAX_TORQUE_LISTED - 1}:2`))![1]!;
  t.equal(listed.split(',').length, MAX_TORQUE_LISTED, 'the longest listing there may be');
  t.throws(() => torque(`1-${2 * MAX_TORQUE_LISTED + 1}:2`), invalid('--array', /would list 10001 indices/));
  t.throws(() => torque('1-1000000:2'), invalid('--array', /500000/));
  t.throws(() => withoutSteps('1-4000000:3'), invalid('--array'), 'any caller of the expansion');
});
