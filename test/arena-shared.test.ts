import t from 'tap';
import { runRanks } from './helpers/ranks.js';

t.test('rank 1 reads a 256 MiB block written by rank 0, in place', async (t) => {
  const r = runRanks('shared-read.ts', 2, { args: ['256'] });
  t.equal(r.code, 0, r.stderr);
  const owner = r.records.find((x) => x.rank === 0)!;
  const peer = r.records.find((x) => x.rank === 1)!;
  t.ok(owner && peer, 'both ranks reported');
  t.equal(peer.viewBytes, 256 * 2 ** 20);
  t.equal(peer.bad, 0, 'every value as written');
  t.equal(peer.inPlace, true, "the view's address is the owner's segment at the block's offset");
  t.equal(peer.seesOwnerWrite, true, 'a write by the owner after the view was opened is visible: shared, not copied');
  t.equal(owner.onNode, true, `every page of the block is on NUMA node ${owner.numaNode}`);
  t.equal(owner.pages, (256 * 2 ** 20) / 4096);
  t.equal(owner.deferredWhileLent, 1, "the owner's free waits while the peer holds a view");
  t.equal(owner.liveWhileLent, 1);
  t.equal(owner.liveAfter, 0, 'freed once the peer gave it back');
  t.equal(owner.loansAfter, 0);
});
