// Malformed frames are WireErrors naming the sender and the rank goes on;
// batches leave at the end of the event-loop turn or when full; a value that
// cannot travel is refused at the sender with its path.
import t from 'tap';
import { runRanks } from './helpers/ranks.js';

t.test('malformed frames are rejected with a WireError naming the sender; valid traffic continues', async (t) => {
  const run = runRanks('wire-faults.ts', 2);
  t.equal(run.code, 0, run.stderr);
  const r = run.records.find((x) => x.errors);
  t.ok(r, 'rank 1 reported');
  t.same(
    (r!.errors as { code: string }[]).map((e) => e.code),
    [
      'ERR_WIRE_MAGIC', 'ERR_WIRE_SENDER', 'ERR_WIRE_BATCH', 'ERR_WIRE_PAYLOAD', 'ERR_WIRE_PAYLOAD', 'ERR_WIRE_BATCH',
      'ERR_WIRE_PAYLOAD', 'ERR_WIRE_PAYLOAD', 'ERR_WIRE_PIECES', 'ERR_WIRE_RELEASE',
    ],
  );
  t.ok((r!.errors as { sender: number }[]).every((e) => e.sender === 0), 'every error names rank 0');
  t.same(r!.valid, ['first', 'last'], 'the valid messages around them arrived');
});

for (const np of [1, 2]) {
  t.test(`batches leave on flushAll() or when full, never on their own; unsendable values are refused (${np} rank(s))`, async (t) => {
    const run = runRanks('wire-faults.ts', np);
    t.equal(run.code, 0, run.stderr);
    const recs = run.records.filter((x) => x.flush);
    t.equal(recs.length, np);
    for (const r of recs) {
      t.same(r.flush, { queuedNow: 3, sentNow: 0, sentAfterTurn: 0, sentOnFlush: 1, sentWhenFull: 2 });
      t.same(r.refused, { code: 'ERR_NOT_SERIALIZABLE', path: 'args[1].model.fn', queued: 0 });
    }
  });
}
