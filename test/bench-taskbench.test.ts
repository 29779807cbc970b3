// Task Bench's graphs: the patterns are consistent, and the taskloaf, C MPI
// and Dask versions compute the same graph (the checksum of the last step
// equals the serial reference) at several widths, 4 oversubscribed.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { cProgram, jsonLines, python, taskloaf } from '../bench/lib/launch.js';
import { ensurePythonPeers } from '../bench/peers/setup.js';
import { activeWidth, dependencies, dependents, PATTERNS, reference, taskCount } from '../bench/taskbench/graph.js';
import { root } from './helpers/ranks.js';

const STEPS = 23;

t.test('dependencies and dependents are each other’s inverse, inside the graph', async (t) => {
  for (const p of PATTERNS) {
    for (const width of [1, 2, 3, 4, 5, 8]) {
      const wrong: string[] = [];
      for (let s = 0; s < 12; s++) {
        for (let i = 0; i < activeWidth(p, width, s); i++) {
          for (const d of dependencies(p, width, s, i)) if (!(d >= 0 && d < activeWidth(p, width, s - 1))) wrong.push(`(${s},${i}) reads ${d}`);
          for (const j of dependents(p, width, s, i)) if (!dependencies(p, width, s + 1, j).includes(i)) wrong.push(`(${s},${i}) feeds ${j}, which does not read it`);
        }
      }
      t.same(wrong, [], `${p} at width ${width}`);
    }
  }
  t.same(dependencies('stencil_1d', 4, 3, 0), [0, 1]);
  t.same(dependencies('stencil_1d', 4, 3, 2), [1, 2, 3]);
  t.same([1, 2, 3].map((s) => dependencies('fft', 4, s, 1)), [[0, 1], [1, 3], [0, 1]], 'butterfly partners 1, 2, 1 apart');
  t.same(dependencies('trivial', 4, 3, 2), []);
  t.same([0, 1, 2, 3].map((s) => activeWidth('tree', 4, s)), [1, 2, 4, 4]);
  t.same(dependencies('tree', 4, 2, 3), [1]);
  t.equal(taskCount('tree', 4, 4), 11);
});

const oversubscribe = (w: number) => w > availableParallelism();
const program = join(root, 'bench', 'taskbench', 'taskbench.ts');

for (const width of [1, 2, 3, 4]) {
  t.test(`taskloaf and C MPI compute the reference graph at width ${width}`, async (t) => {
    const iterations = '64,1';
    const tl = taskloaf(width, program, ['--iterations', iterations, '--steps', String(STEPS), '--warm-ms', '0'], { TASKLOAF_DEADLOCK_SECONDS: '20' }, oversubscribe(width) ? ['--oversubscribe'] : []);
    const c = cProgram('taskbench', width, [PATTERNS.join(','), iterations, '10', '1', '1', String(STEPS)], oversubscribe(width));
    for (const [name, rows] of [['taskloaf', tl], ['C MPI', c]] as const) {
      const cal = rows.find((r) => r.kind === 'calibration');
      t.ok(cal && (cal.nsPerIteration as number) > 0, `${name} calibrated its kernel`);
      const graphs = rows.filter((r) => r.pattern);
      t.equal(graphs.length, PATTERNS.length * 2, `${name}: one line per pattern and iteration count`);
      for (const g of graphs) {
        const p = g.pattern as (typeof PATTERNS)[number];
        t.equal(g.checksum, reference(p, width, STEPS), `${name} ${p} ${g.iterations} iterations`);
        t.equal(g.tasks, taskCount(p, width, STEPS));
        t.ok((g.wallSeconds as number) > 0);
      }
    }
  });
}

t.test('Dask computes the reference graph', async (t) => {
  ensurePythonPeers();
  const rows = jsonLines(python, [join(root, 'bench', 'taskbench', 'taskbench_dask.py'), PATTERNS.join(','), '16', '10', '1', '1', String(STEPS), '2']);
  const graphs = rows.filter((r) => r.pattern);
  t.equal(graphs.length, PATTERNS.length);
  for (const g of graphs) t.equal(g.checksum, reference(g.pattern as (typeof PATTERNS)[number], 2, STEPS), `dask ${g.pattern}`);
});
