// The parts of one rank's runtime, built by hand over a fake link, for the
// unit tests of each part.
import { zeroCounters } from '../../src/runtime/counters.js';
import { Outbound } from '../../src/runtime/outbound.js';
import type { RankContext } from '../../src/runtime/context.js';
import { FakeNetwork, type FakeLink } from './fake-link.js';
import type { Row } from '../../src/runtime/link.js';

export interface FakeRank {
  ctx: RankContext;
  link: FakeLink;
  wakes: number;
}

/** A context for rank `rank` of `net`; rows arriving there go to `onRow`. */
export function fakeRank(net: FakeNetwork, rank: number, onRow: (row: Row, source: number) => void = () => {}): FakeRank {
  let deliver = onRow;
  const link = net.connect(rank)((row, source) => deliver(row, source));
  const r: FakeRank = {
    link,
    wakes: 0,
    ctx: { rank, size: net.size, host: `host${rank}`, counters: zeroCounters(), out: new Outbound(link), wake: () => void r.wakes++, stopped: false },
  };
  Object.defineProperty(r, 'onRow', { set: (f: typeof onRow) => (deliver = f) });
  return r;
}

/** A seeded generator in [0, 1) (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
