// Failures: a task that throws, with a cause chain, or throws a non-Error; a
// task not registered on the rank asked to run it; calls outside run(), to a
// rank that does not exist, and with arguments that cannot travel.
import { run, task, world, start, RemoteTaskError } from '../../src/index.js';
import { record } from './lib.js';

start();
function boomInner(): never {
  const e = new TypeError('bad input') as TypeError & { code: string };
  e.code = 'E_BAD';
  throw e;
}
const boom = task('boom', () => boomInner());
const chained = task('chained', async () => {
  throw new Error('outer', { cause: new RangeError('inner') });
});
const weird = task('weird', () => {
  throw 'just a string';
});
const echo = task('echo', (x: unknown) => x);
// Registered on rank 0 only: the other ranks run different code.
const onlyOnZero = world.rank === 0 ? task('onlyOnZero', () => 'zero') : undefined;

const describe = (e: unknown) => {
  const r = e as RemoteTaskError & { cause?: Error & { cause?: Error; code?: string } };
  return {
    class: r?.constructor?.name, code: r.code, rank: r.rank, host: typeof r.host, task: r.task,
    message: r.message, stackHasThrower: typeof r.remoteStack === 'string' && r.remoteStack.includes('boomInner'),
    cause: r.cause && { name: r.cause.name, message: r.cause.message, code: r.cause.code, cause: r.cause.cause?.message }, path: (e as { path?: string }).path,
  };
};
const outcome = (p: Promise<unknown>) => p.then((v) => ({ value: v }), (e) => describe(e));

record({ check: 'outside run', result: await outcome(echo(1)) });
const last = world.size - 1;
await run(async () => {
  record({ check: 'throws', result: await outcome(boom.on(last)()) });
  record({ check: 'throws anywhere', result: await outcome(boom()) });
  record({ check: 'cause chain', result: await outcome(chained.on(last)()) });
  record({ check: 'non-Error', result: await outcome(weird.on(last)()) });
  if (world.size > 1) record({ check: 'unknown task', result: await outcome(onlyOnZero!.on(last)()) });
  record({ check: 'no such rank', result: await outcome(echo.on(world.size)(1)) });
  if (world.size > 1) record({ check: 'cannot travel', result: await outcome(echo.on(last)(() => 1)) });
  record({ check: 'run inside run', result: await outcome(run(() => 1)) });
});
// Every rank, after its job: a process is one job.
record({ check: 'run after run', rank: world.rank, result: await outcome(run(() => 1)) });
