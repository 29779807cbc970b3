// Every kind of value between ranks through the transport, on one node (only
// a block reference travels) and on simulated different nodes (the bytes
// travel once and land in the receiver's arena), echoed back, and every lent
// block given back in the end.
import t from 'tap';
import { runRanks, SIZES } from './helpers/ranks.js';

const env = { NODE_OPTIONS: '--expose-gc' };
type Rec = {
  rank: number; node: number; cases: number; requests: number; echoes: number; failures: string[]; where: Record<string, number>;
  afterTraffic: { bytesCopied: number; byBytes: number; byReference: number; bytesSent: number; malformed: number };
  loans: number; deferredFrees: number; borrowed: number; payloadBytes: number; copyOnce: number;
};

function common(t: Tap.Test, recs: Rec[], np: number): void {
  t.equal(recs.length, np, 'every rank reported');
  const peers = np === 1 ? 1 : np - 1;
  for (const r of recs) {
    t.same(r.failures, [], `rank ${r.rank}: every value arrived equal to what was sent`);
    t.equal(r.requests, peers * r.cases, `rank ${r.rank}: every request arrived`);
    t.equal(r.echoes, peers * r.cases, `rank ${r.rank}: every echo arrived`);
    t.equal(r.loans, 0, `rank ${r.rank}: every lent block was given back`);
    t.equal(r.borrowed, 0, `rank ${r.rank}: no block of another rank is still held`);
    t.equal(r.afterTraffic.malformed, 0);
    t.notOk(Object.keys(r.where).some((k) => k.endsWith(':heap')), `rank ${r.rank}: no large payload landed outside an arena`);
  }
}

for (const np of SIZES) {
  t.test(`values round-trip between ${np} rank(s) of one node by block reference`, async (t) => {
    const run = runRanks('wire-roundtrip.ts', np, { env });
    t.equal(run.code, 0, run.stderr);
    const recs = run.records as unknown as Rec[];
    common(t, recs, np);
    for (const r of recs) {
      // Heap values are copied into the sender's arena (an Arrow value once for all peers); the echo
      // passes the peer's block on untouched.
      t.equal(r.afterTraffic.bytesCopied, r.copyOnce, `rank ${r.rank}: payload bytes copied once, at the sender`);
      t.equal(r.afterTraffic.byBytes, 0, `rank ${r.rank}: no payload travelled as bytes`);
      if (np > 1) t.ok(r.where['request:near:peer-arena']! > 0, `rank ${r.rank}: received columns view the sender's arena block`);
      t.ok(r.where['echo:near:own-arena']! > 0, `rank ${r.rank}: echoed columns view its own block`);
    }
  });
}

for (const [np, tcp] of [[2, true], [4, false]] as const) {
  t.test(`values round-trip between ${np} ranks on 2 simulated nodes${tcp ? ' over TCP' : ''}`, async (t) => {
    const run = runRanks('wire-roundtrip.ts', np, { env, tcp, simulateNodes: 2 });
    t.equal(run.code, 0, run.stderr);
    const recs = run.records as unknown as Rec[];
    common(t, recs, np);
    t.same([...new Set(recs.map((r) => r.node))].sort(), [0, 1], 'two nodes');
    for (const r of recs) {
      t.ok(r.where['request:far:own-arena']! > 0, `rank ${r.rank}: columns from another node lie in its own arena`);
      if (np === 2) {
        // Nothing on the same node: nothing copied at the sender, every payload byte sent once per message.
        t.equal(r.afterTraffic.bytesCopied, 0, `rank ${r.rank}: nothing copied at the sender`);
        t.equal(r.afterTraffic.bytesSent, 2 * r.payloadBytes, `rank ${r.rank}: payload bytes sent once per request and once per echo`);
        t.equal(r.afterTraffic.byReference, 0);
      }
    }
  });
}
