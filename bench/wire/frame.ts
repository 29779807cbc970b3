// What the wire adds to MPI for one small frame: a one-row call queued, sent
// (here to the rank itself), received and opened by the transport, against
// raw MPI moving as many bytes (isend, improbe, mrecv), alternating in one
// process so both see the same moments of the machine. Writes
// bench/results/wire-frame.json and the wire-frame section of bench/README.md.
// Usage: node --import tsx bench/wire/frame.ts [--quick] [--rounds N] [--no-write]
import { join } from 'node:path';
import { packageRoot } from '../../src/native/addon.js';
import { taskloaf } from '../lib/launch.js';
import { machine, median } from '../lib/machine.js';
import { benchOptions, publish } from '../lib/report.js';
import type { FigureInput } from '../lib/spread.js';

const opts = benchOptions();
const { quick, rounds } = opts;
const messages = quick ? 5_000 : 100_000;
const r = taskloaf(1, join(packageRoot, 'bench', 'wire', 'frame-rank.ts'), [String(messages), String(rounds)])[0]! as unknown as {
  transport: number[];
  raw: number[];
  frameBytes: number;
};
const ratios = r.transport.map((x, i) => x / r.raw[i]!);
const md = { transport: median(r.transport), raw: median(r.raw), ratio: median(ratios) };
const m = machine();
const table = [
  `Measured ${m.date.slice(0, 10)} on ${m.cpuModel}, ${m.mpi}; median of ${rounds} alternating run(s) of ${messages / 1000}k messages${quick ? ' (quick mode)' : ''}. One rank sends to itself: the MPI cost is the same on both paths, the difference is the wire's own work (encode, frame, probe, receive, check, decode).`,
  '',
  '| path | per message | of raw MPI |',
  '|---|---:|---:|',
  `| raw MPI: isend + improbe + mrecv of ${r.frameBytes} bytes | ${md.raw.toFixed(2)} µs | 1× |`,
  `| taskloaf transport: a one-row frame (${r.frameBytes} bytes) sent, received and opened | ${md.transport.toFixed(2)} µs | ${md.ratio.toFixed(2)}× (the wire's own work: ${(md.transport - md.raw).toFixed(2)} µs) |`,
].join('\n');
const figures: Record<string, FigureInput> = {
  raw: { label: 'raw MPI, per message', unit: 'µs', better: 'lower', runs: r.raw },
  transport: { label: 'taskloaf transport, per message', unit: 'µs', better: 'lower', runs: r.transport },
  ratio: { label: 'transport / raw MPI (alternating runs)', unit: '×', better: 'lower', runs: ratios },
};
publish('wire-frame', opts, m, { data: { messages, microseconds: { transport: r.transport, raw: r.raw }, ratios, medians: md, frameBytes: r.frameBytes }, table, figures });
