// No ANSI colour codes in the output of a run whose own stdout is not a
// terminal (mpiexec gives rank 0 one regardless); a FORCE_COLOR of the
// user's is honoured.
import t from 'tap';
import { runRanks } from './helpers/ranks.js';

const ESC = '\x1b[';

t.test('output to a pipe has no colour codes', async (t) => {
  const env: NodeJS.ProcessEnv = { NO_COLOR: undefined, FORCE_COLOR: undefined };
  const run = runRanks('report-colour.ts', 2, { env });
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, /answer: 42/);
  t.notOk(run.stdout.includes(ESC), JSON.stringify(run.stdout));
});

t.test("the user's FORCE_COLOR=1 still colours", async (t) => {
  const run = runRanks('report-colour.ts', 1, { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
  t.equal(run.code, 0, run.stderr);
  t.ok(run.stdout.includes(ESC), JSON.stringify(run.stdout));
});
