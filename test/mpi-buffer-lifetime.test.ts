import t from 'tap';
import { runRanks } from './helpers/ranks.js';

t.test('buffers dropped or transferred during a send arrive intact', async (t) => {
  const r = runRanks('buffer-lifetime.ts', 2);
  t.equal(r.code, 0, r.stderr);
  const sender = r.records.find((x) => x.rank === 0);
  const receiver = r.records.find((x) => x.rank === 1);
  t.ok(sender && receiver, 'both ranks reported');
  t.equal(sender!.pendingWhileSleeping, 2, 'both sends were still pending while the buffers were released');
  t.equal(sender!.stillAttached, true, 'a transfer copied the buffer instead of detaching it');
  t.equal(receiver!.intact, true);
});
