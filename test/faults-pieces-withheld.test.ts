// A rank that announces pieces and withholds them holds up only its own
// later frames, not the receiver: its timers run and other ranks' messages
// arrive meanwhile; the frame is given up at the wait's end with a WireError
// naming the sender, and the sender's later frames then arrive in order.
import t from 'tap';
import { runRanks } from './helpers/ranks.js';

t.test('withheld pieces do not hold the receiver', async (t) => {
  const run = runRanks('pieces-withheld.ts', 3, { simulateNodes: 3 });
  t.equal(run.code, 0, run.stderr);
  const r = run.records.find((x) => x.rank === 1);
  t.ok(r, 'rank 1 reported');
  const errors = r!.errors as { code: string; sender: number; message: string; at: number }[];
  t.same(errors.map((e) => [e.code, e.sender]), [['ERR_WIRE_PAYLOAD', 0]], 'one error, naming rank 0');
  t.match(errors[0]?.message, /^malformed frame from rank 0: a piece of 262144 bytes did not follow within 2000 ms$/);
  t.same(r!.order, ['before', 'after-1', 'after-2'], "rank 0's other frames arrived, in order");
  t.equal(r!.rank2BeforeGivenUp, true, "rank 2's message arrived while rank 0's frame waited");
  // A 10 ms timer over a 2 s wait: a loop held by the wait would not tick at all.
  t.ok((r!.ticksWhileWaiting as number) >= 10, `rank 1's timer ran during the wait (${r!.ticksWhileWaiting} ticks)`);
});
