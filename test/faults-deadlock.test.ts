// A job whose main waits for what nothing will ever settle ends with a report
// instead of hanging; waits on timers or long computations are left alone.
import t from 'tap';
import { runRanks } from './helpers/ranks.js';

const env = { TASKLOAF_DEADLOCK_SECONDS: '1' };

// Sizes alternate between the two cases to keep the file short: the probe
// protocol is the same at any size.
for (const np of [1, 4]) {
  t.test(`main awaiting a promise nothing settles, ${np} rank(s)`, async (t) => {
    const r = runRanks('deadlock.ts', np, { args: ['never'], env, timeoutMs: 60_000 });
    t.not(r.code, null, 'no hang');
    t.equal(r.code, 1);
    t.match(r.stderr, /taskloaf: deadlock: main is waiting, and for \d+ s no rank has had anything to do/);
    t.match(r.stderr, /rank 0 \(\S+\): main waits for no task: a promise that nothing will settle\?/);
    t.match(r.stderr, /taskloaf: rank 0 on \S+ found the job deadlocked; ending the job/);
  });
}

for (const np of [2, 4]) {
  t.test(`main awaiting a task stuck in an await, ${np} rank(s)`, async (t) => {
    const r = runRanks('deadlock.ts', np, { args: ['stuck'], env, timeoutMs: 60_000 });
    t.equal(r.code, 1, r.stderr);
    const last = np - 1;
    t.match(r.stderr, new RegExp(`rank ${last} \\(\\S+\\): task 'stuck' #1 \\(called by rank 0\\) is suspended in an await`));
    t.match(r.stderr, new RegExp(`rank 0 \\(\\S+\\) main or its tasks wait for: 'stuck' #1 \\(on rank ${last}\\)`));
  });
}

for (const mode of ['sleeping', 'busy']) {
  t.test(`a task ${mode} for longer than the deadlock window is no deadlock`, async (t) => {
    const r = runRanks('deadlock.ts', 2, { args: [mode], env: { TASKLOAF_DEADLOCK_SECONDS: '1' }, timeoutMs: 60_000 });
    t.equal(r.code, 0, r.stderr);
    t.notMatch(r.stderr, /deadlock/);
    t.match(r.records, [{ result: mode === 'sleeping' ? 'woke' : 'done' }, { finished: true }]);
  });
}

t.test('TASKLOAF_DEADLOCK_SECONDS is checked', async (t) => {
  const r = runRanks('deadlock.ts', 1, { args: ['sleeping'], env: { TASKLOAF_DEADLOCK_SECONDS: 'soon' } });
  t.not(r.code, 0);
  t.match(r.stderr, /TASKLOAF_DEADLOCK_SECONDS must be a number of seconds \(0: off\), got 'soon'/);
});
