// Rank 0 sends rank 1 `count` payloads of `mib` MiB, one at a time, each a
// Float64Array or a one-column Arrow table; rank 1 checks each, then either
// drops it (the garbage collector gives its block back) or releases it
// (release(): the block goes back at once and the views become empty), and
// acknowledges. Rank 1 records where each payload lay and its arena's use.
import { tableFromArrays, type Table } from 'apache-arrow';
import { connect } from '../../src/runtime/connect.js';
import { homeOf } from '../../src/wire/memory/homes.js';
import { release } from '../../src/wire/memory/release.js';
import { addon } from '../../src/native/addon.js';
import { world } from '../../src/runtime/world.js';
import { record } from './lib.js';

const mode = process.argv[2] === 'release' ? 'release' : 'drop';
const count = Number(process.argv[3] ?? 40);
const mib = Number(process.argv[4] ?? 8);
const MOVE = 1;
const ACK = 2;
const failures: string[] = [];
let acks = 0;
let moves = 0;
let inArena = 0;
let maxInUse = 0;
let released = 0;
let freedAtOnce = 0;
let emptied = 0;

const payload = (i: number): Float64Array | Table => {
  const a = new Float64Array((mib * 2 ** 20) / 8);
  a[0] = i;
  a[a.length - 1] = -i;
  return i % 2 === 0 ? a : tableFromArrays({ x: a });
};
const columnOf = (v: unknown): Float64Array | undefined =>
  v instanceof Float64Array ? v : ((v as Table).getChild?.('x')?.data[0]?.values as Float64Array | undefined);

const conn = connect({
  onRow: (row, source) => {
    if (row.kind === ACK) {
      acks++;
      return;
    }
    const i = row.id;
    const x = columnOf(row.value);
    if (!x || x[0] !== i || x[x.length - 1] !== -i) failures.push(`payload ${i} arrived wrong`);
    else if (homeOf(x)) inArena++;
    maxInUse = Math.max(maxInUse, conn.arena.stats().inUse);
    if (mode === 'release') {
      const before = conn.arena.stats().inUse;
      const bytes = release(row.value);
      if (bytes >= mib * 2 ** 20) released++;
      if (conn.arena.stats().inUse <= before - mib * 2 ** 20) freedAtOnce++;
      if (x!.length === 0 && columnOf(row.value)!.length === 0) emptied++;
      if (release(row.value) !== 0) failures.push(`payload ${i} was released twice`);
    }
    moves++;
    conn.transport.send(source, ACK, 0, i, 0, '');
  },
});
const t = conn.transport;
if (world.rank === 0) {
  for (let i = 0; i < count; i++) {
    t.send(1, MOVE, 0, i, 0, '', payload(i));
    t.flushAll();
    await t.until(() => acks === i + 1);
  }
} else {
  await t.until(() => moves === count);
  // What this rank made itself is not released, and stays whole.
  const own = payload(8) as Float64Array;
  const ownReleased = release(own) + release({ nested: [own] });
  record({
    rank: world.rank,
    mode,
    failures,
    moves,
    inArena,
    maxInUse,
    released,
    freedAtOnce,
    emptied,
    ownReleased,
    ownIntact: own.length === (mib * 2 ** 20) / 8 && own[0] === 8,
    limit: conn.arena.limitBytes,
    lightAliases: addon().lightAliases,
  });
}
await t.end();
