// Shell completion through the real CLI: the script a shell sources, and the
// words it offers for commands and their options.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { cli } from './helpers/ranks.js';

const taskloaf = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
const words = (...typed: string[]) => taskloaf('--get-yargs-completions', 'taskloaf', ...typed).stdout.split('\n').filter(Boolean);

t.test('taskloaf completion prints a script that asks taskloaf for its words', async (t) => {
  const r = taskloaf('completion');
  t.equal(r.status, 0);
  t.match(r.stdout, /_taskloaf_yargs_completions/);
  t.match(r.stdout, /taskloaf --get-yargs-completions/);
});

t.test('commands, then each command\'s own options', async (t) => {
  const commands = words('');
  for (const c of ['run', 'template', 'submit', 'status', 'logs', 'cancel', 'bench', 'doctor']) t.ok(commands.includes(c), `offers ${c}`);
  const run = words('run', '--');
  for (const o of ['--np', '--oversubscribe', '--simulate-nodes', '--launcher']) t.ok(run.includes(o), `run offers ${o}`);
  t.notOk(run.includes('--nodes'), "run does not offer template's --nodes");
  const template = words('template', 'slurm', '--');
  for (const o of ['--nodes', '--time', '--directive']) t.ok(template.includes(o), `template offers ${o}`);
});
