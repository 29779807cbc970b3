// Every rank sends every case to every other rank through the transport; each
// receiver checks the value against its own copy of the case, notes where
// the bytes of Arrow columns and typed arrays lie, and sends the value it
// received back. The sender checks the echo. Then every rank waits until
// every block it lent has been given back (garbage collection drives the
// releases) and prints its stats.
import { isDeepStrictEqual } from 'node:util';
import { connect } from '../../src/runtime/connect.js';
import { homeOf } from '../../src/wire/memory/homes.js';
import { addon } from '../../src/native/addon.js';
import { world } from '../../src/runtime/world.js';
import type { Row } from '../../src/wire/frame/batch.js';
import { cases, describeValue, firstBuffer } from './wire-cases.js';
import { record } from './lib.js';

const REQUEST = 1;
const ECHO = 2;
const DONE = 3;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const all = cases();
const expected = all.map((c) => describeValue(c.value));
const failures: string[] = [];
const where: Record<string, number> = {};
let requests = 0;
let echoes = 0;
const doneFrom = new Set<number>();

function check(row: Row, source: number, phase: string): void {
  const c = all[row.id];
  if (!c || c.name !== row.name) {
    failures.push(`${phase} from ${source}: unknown case ${row.id}/${row.name}`);
    return;
  }
  const got = describeValue(row.value);
  if (!isDeepStrictEqual(got, expected[row.id])) failures.push(`${phase} ${c.name} from ${source}: ${JSON.stringify(got).slice(0, 300)}`);
  const b = firstBuffer(row.value);
  if (b && b.byteLength >= 1024) {
    // Where the bytes lie: a block of the sender's arena (same node), or of ours (another node).
    const home = homeOf(b);
    const kind = !home ? 'heap' : home.block.owner === world.rank ? 'own-arena' : home.block.owner === source || phase === 'echo' ? 'peer-arena' : 'other-arena';
    where[`${phase}:${world.nodeOf[source] === world.node ? 'near' : 'far'}:${kind}`] = (where[`${phase}:${world.nodeOf[source] === world.node ? 'near' : 'far'}:${kind}`] ?? 0) + 1;
    if (home) {
      // The view's address is inside the block the reference names.
      const seg = home.block.owner === world.rank ? conn.arena.segments[home.block.segment]! : conn.peers.segment(home.block.owner, home.block.segment);
      const base = addon().addressOf(new Uint8Array(seg, home.block.offset, 1));
      const at = addon().addressOf(b);
      if (at < base || at + BigInt(b.byteLength) > base + BigInt(home.block.length)) failures.push(`${phase} ${c.name}: view outside its block`);
    }
  }
}

const conn = connect({
  onRow: (row, source) => {
    if (row.kind === REQUEST) {
      check(row, source, 'request');
      requests++;
      conn.transport.send(source, ECHO, world.rank, row.id, 0, row.name, row.value, true, `echo ${row.name}`);
    } else if (row.kind === ECHO) {
      check(row, source, 'echo');
      echoes++;
    } else if (row.kind === DONE) {
      doneFrom.add(source);
    }
  },
  onError: (e) => failures.push(`wire error: ${e.message}`),
});
const t = conn.transport;
const peersOf = world.size === 1 ? [0] : Array.from({ length: world.size }, (_, i) => i).filter((r) => r !== world.rank);

for (const dest of peersOf) for (const [i, c] of all.entries()) t.send(dest, REQUEST, world.rank, i, 0, c.name, c.value, true, c.name);
const want = peersOf.length * all.length;
await t.until(() => requests === want && echoes === want).catch((e) => {
  record({ rank: world.rank, stuck: 'traffic', requests, echoes, want, failures, stats: t.stats, queued: t.queued });
  throw e;
});
const afterTraffic = { ...t.stats };

// Every lent block comes back once the views are collected.
let lastGc = 0;
const clean = () => {
  if (Date.now() - lastGc > 20) {
    gc();
    lastGc = Date.now();
  }
  const s = conn.arena.stats();
  return s.loans === 0 && t.borrowedBlocks === 0;
};
await t.until(clean, 20_000).catch((e) => {
  record({ rank: world.rank, stuck: 'clean', failures, arena: conn.arena.stats(), borrowed: t.borrowedBlocks, stats: t.stats, where });
  throw e;
});
for (let r = 0; r < world.size; r++) t.send(r, DONE, world.rank, 0, 0, '');
await t.until(() => {
  clean();
  return doneFrom.size === world.size;
}, 20_000);
await t.end();
const s = conn.arena.stats();
record({
  rank: world.rank,
  node: world.node,
  cases: all.length,
  requests,
  echoes,
  failures,
  where,
  afterTraffic,
  loans: s.loans,
  deferredFrees: s.deferredFrees,
  borrowed: t.borrowedBlocks,
  payloadBytes: all.reduce((n, c) => n + c.payloadBytes, 0) * peersOf.length,
  // Heap values sent to peers of this node: typed arrays copied per message, Arrow values once.
  copyOnce: all.reduce((n, c) => n + c.arrowBytes + (c.payloadBytes - c.arrowBytes) * peersOf.length, 0),
});
