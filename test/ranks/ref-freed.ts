// A Ref to a value its owner has freed (one that no proper copy can reach:
// made here by hand, as a stale or forged Ref off the wire would be) gives a
// RefError on get(), on the owner and elsewhere; the job goes on.
import { put, run, task, world, start, Ref } from '../../src/index.js';
import { record } from './lib.js';

start();
const outcome = (p: Promise<unknown>) =>
  p.then(
    (value) => ({ value }),
    (e) => ({ class: (e as Error).constructor.name, code: (e as { code?: string }).code, message: (e as Error).message }),
  );
const getIt = task('getIt', (ref: Ref<number[]>) => outcome(ref.get()));
// A stale Ref made on the rank that uses it: get() asks the owner.
const getStale = task('getStale', (owner: number, id: number) => outcome(new Ref<number[]>(owner, id, 1).get()));

await run(async () => {
  const real = put([1, 2, 3]);
  const stale = new Ref<number[]>(0, real.id + 1000, 1);
  const last = world.size - 1;
  record({ check: 'owner', result: await outcome(stale.get()) });
  record({ check: 'elsewhere', result: await getStale.on(last)(0, real.id + 1001) });
  // The owner will not hand out a share of what it no longer has.
  record({ check: 'sent by the owner', result: await outcome(getIt.on(last)(stale)) });
  record({ check: 'real one still fine', result: await getIt.on(last)(real) });
  real.release();
  let after: unknown;
  try {
    await real.get();
  } catch (e) {
    after = (e as { code?: string }).code;
  }
  record({ check: 'after release', code: after });
});
