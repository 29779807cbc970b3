// A failing task rejects its caller with RemoteTaskError (rank, host, task,
// remote stack, cause chain); an unknown task with UnknownTaskError; bad calls
// with coded errors at the caller. At 1, 2, 4 and 8 (oversubscribed) ranks.
import t from 'tap';
import { runRanks } from './helpers/ranks.js';

for (const np of [1, 2, 4, 8]) {
  t.test(`task errors reach the caller, ${np} rank(s)`, async (t) => {
    const run = runRanks('runtime-errors.ts', np);
    t.equal(run.code, 0, run.stderr);
    const last = np - 1;
    const got = (name: string) => run.records.find((r) => r.check === name)?.result as Record<string, unknown>;
    t.match(got('outside run'), { class: 'RuntimeStateError', code: 'ERR_RUNTIME_STATE' });
    t.match(got('throws'), {
      class: 'RemoteTaskError', code: 'ERR_REMOTE_TASK', rank: last, host: 'string', task: 'boom', stackHasThrower: true,
      cause: { name: 'TypeError', message: 'bad input', code: 'E_BAD' },
    });
    t.match(got('throws'), { message: new RegExp(`^task 'boom' failed on rank ${last} \\(.+\\): bad input$`) });
    t.match(got('throws anywhere'), { class: 'RemoteTaskError', task: 'boom', cause: { name: 'TypeError' } });
    t.match(got('cause chain'), { class: 'RemoteTaskError', cause: { message: 'outer', cause: 'inner' } });
    t.match(got('non-Error'), { class: 'RemoteTaskError', message: /just a string/ });
    t.match(got('no such rank'), { class: 'InvalidArgumentError', code: 'ERR_INVALID_ARG_VALUE', message: /rank must be an integer/ });
    t.match(got('run inside run'), { class: 'RuntimeStateError', code: 'ERR_RUNTIME_STATE', message: /run\(\) was called a second time in this process/ });
    const after = run.records.filter((r) => r.check === 'run after run');
    t.equal(after.length, np, 'every rank refuses a second run()');
    for (const r of after) t.match(r.result, { class: 'RuntimeStateError', code: 'ERR_RUNTIME_STATE', message: /a process runs one job/ });
    if (np > 1) {
      t.match(got('unknown task'), { class: 'UnknownTaskError', code: 'ERR_UNKNOWN_TASK', rank: last, task: 'onlyOnZero' });
      t.match(got('cannot travel'), { class: 'SerializationError', code: 'ERR_NOT_SERIALIZABLE', path: 'args[0]' });
    }
  });
}
