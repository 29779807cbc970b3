// A Pieces section is the sender's word for how much memory the receiver
// must set aside: one announcing more than the receiver's node has is
// rejected before anything is allocated, as a WireError naming the sender,
// and valid traffic (a payload that travels as pieces too) continues. (A
// value larger than the arena still arrives: test/faults-arena.test.ts.)
import t from 'tap';
import { runRanks } from './helpers/ranks.js';

t.test('an oversized Pieces announcement is refused before any allocation', async (t) => {
  const run = runRanks('faults-pieces.ts', 2, { simulateNodes: 2, env: { TASKLOAF_ARENA_LIMIT: '64MiB' } });
  t.equal(run.code, 0, run.stderr);
  const r = run.records.find((x) => x.rank === 1);
  t.ok(r, 'rank 1 reported');
  const errors = r!.errors as { code: string; sender: number; message: string }[];
  t.same(errors.map((e) => e.code), ['ERR_WIRE_PAYLOAD', 'ERR_WIRE_PAYLOAD'], 'both announcements rejected');
  for (const e of errors) {
    t.equal(e.sender, 0, 'names rank 0');
    t.match(e.message, new RegExp(`^malformed frame from rank 0: pieces announce \\d+ bytes, more than this node's memory \\(${r!.memory} bytes\\)$`));
  }
  t.same(r!.strings, ['first', 'last'], 'the valid messages around them arrived');
  t.same(r!.piece, { length: 1 << 17, right: true }, 'a valid payload sent as pieces arrived whole');
  // The valid 1 MiB payload lands in the arena; nothing near the announcements was ever held.
  t.ok((r!.peakArrayBuffers as number) < 32 * 2 ** 20, `peak ArrayBuffer memory ${r!.peakArrayBuffers} bytes`);
});
