import { tableFromArrays } from 'apache-arrow';
import { connect } from '../../src/wire/connect.js';
import { world } from '../../src/runtime/world.js';
import { addon } from '../../src/native/addon.js';
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
const session = new Session(); session.connect();
await session.post('Profiler.enable'); await session.post('Profiler.setSamplingInterval', { interval: 50 }); await session.post('Profiler.start');
const now = () => Number(process.hrtime.bigint()) / 1e3;
let got = 0;
const conn = connect({ onRow: (row, s) => { got++; if (row.kind === 1) conn.transport.send(s, 2, 0, 0, 0, ''); } });
const t = conn.transport as any;
const log: string[] = [];
const rb = t.receiveBuffer.bind(t);
t.receiveBuffer = (n: number, p: boolean) => { const a = now(); const b = rb(n, p); if (n > 1e6) log.push(`alloc ${(now() - a).toFixed(0)} addr ${addon().addressOf(b) % 100000000n}`); return b; };
const n = addon();
const aa = conn.arena.alloc.bind(conn.arena);
(conn.arena as any).alloc = (k: number) => { const a = now(); const r = aa(k); if (k > 1e6) log.push(`arena.alloc ${(now() - a).toFixed(0)} seg ${r.segment}`); return r; };
const al = n.alias.bind(n);
(n as any).alias = (v: any) => { const a = now(); const r = al(v); const b = now(); al(v); const c = now(); al(v); const d = now(); if (v.byteLength > 1e6) log.push(`alias ${(b - a).toFixed(0)},${(c - b).toFixed(0)},${(d - c).toFixed(0)}`); return r; };
const mr = n.mrecv.bind(n);
(n as any).mrecv = (id: number, tg: any) => { const a = now(); const r = mr(id, tg); if (tg && tg.byteLength > 1e6) log.push(`mrecv ${(now() - a).toFixed(0)}`); return r; };
const src = tableFromArrays({ x: new Float64Array(8 << 20).fill(1) });
const gc = (globalThis as any).gc;
for (let i = 0; i < 40; i++) {
  gc(); await new Promise((r) => setTimeout(r, 20)); t.poll(); t.flushAll();
  if (world.rank === 0) { const a = now(); t.send(1, 1, 0, i, 0, '', src); t.flushAll(); await t.until(() => got === i + 1, 60000, true); log.push(`rt ${(now() - a).toFixed(0)}`); }
  else { await t.until(() => got === i + 1, 60000, true); t.flushAll(); }
}
console.log(world.rank, log.join(' | '));
const { profile } = await session.post('Profiler.stop');
writeFileSync(`/tmp/p3-${world.rank}.cpuprofile`, JSON.stringify(profile));
await t.drain();
