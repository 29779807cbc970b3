// Per-task cost of task messages on the wire, encode + decode, in one
// process: taskloaf's batch (one Arrow record batch per peer, a row per task)
// at batch sizes 1, 16, 64, 256, against the naive Arrow path (a one-row
// table per task through tableToIPC and tableFromIPC) and v8.serialize of the
// same message. Writes bench/results/wire-batch.json and the wire-batch
// section of bench/README.md.
// Usage: node --import tsx bench/wire/batch.ts [--quick] [--rounds N] [--no-write]
import { deserialize, serialize } from 'node:v8';
import { Binary, Utf8, makeVector, tableFromIPC, tableToIPC, vectorFromArray, Table } from 'apache-arrow';
import { BatchBuilder } from '../../src/wire/frame/batch.js';
import { readRows } from '../../test/helpers/frames.js';
import { encodeValue } from '../../test/helpers/values.js';
import { machine, median } from '../lib/machine.js';
import type { FigureInput } from '../lib/spread.js';
import { quietStart } from '../lib/quiet.js';
import { benchOptions, publish, type Goal } from '../lib/report.js';

const opts = benchOptions();
const { quick, rounds } = opts;
const tasks = quick ? 20_000 : 400_000;
const SIZES = [1, 16, 64, 256];

// A tiny task: call 'fib' with [30] and a reply id.
const args = [30];
let sink = 0;

function taskloaf(batch: number): number {
  const b = new BatchBuilder();
  const iters = Math.max(1, Math.floor(tasks / batch));
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < iters; k++) {
    for (let i = 0; i < batch; i++) b.add(1, 0, k * batch + i, 0, 'fib', args);
    const section = b.encode();
    b.clear();
    const rows = readRows(section, []);
    sink += rows.length;
  }
  return Number(process.hrtime.bigint() - t0) / (iters * batch);
}

function naive(): number {
  const iters = Math.max(1, Math.floor(tasks / 40));
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < iters; k++) {
    const table = new Table({
      kind: makeVector(Uint8Array.of(1)),
      rank: makeVector(Int32Array.of(0)),
      id: makeVector(Float64Array.of(k)),
      name: vectorFromArray(['fib'], new Utf8()),
      body: vectorFromArray([encodeValue(args).body], new Binary()),
    });
    const back = tableFromIPC(tableToIPC(table));
    sink += back.numRows;
  }
  return Number(process.hrtime.bigint() - t0) / iters;
}

function v8(): number {
  const iters = Math.max(1, Math.floor(tasks / 4));
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < iters; k++) {
    const m = deserialize(serialize({ kind: 1, rank: 0, id: k, name: 'fib', args })) as { id: number };
    sink += m.id;
  }
  return Number(process.hrtime.bigint() - t0) / iters;
}

quietStart('wire-batch (in this process)');
const results: Record<string, number[]> = {};
for (let r = 0; r < rounds; r++) {
  for (const s of SIZES) (results[`taskloaf batch ${s}`] ??= []).push(taskloaf(s));
  (results['one-row Arrow table per task (tableToIPC + tableFromIPC)'] ??= []).push(naive());
  (results['v8.serialize per task'] ??= []).push(v8());
}
const m = machine();
const us = (ns: number) => (ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
const naiveNs = median(results['one-row Arrow table per task (tableToIPC + tableFromIPC)']!);
const table = [
  `Measured ${m.date.slice(0, 10)} on ${m.cpuModel}, Node ${m.node}; median of ${rounds} run(s)${quick ? ' (quick mode)' : ''}. Encode + decode per task message (kind, rank, id, name 'fib', args [30]); goal ≤ 1 µs at batch ≥ 64.`,
  '',
  '| path | per task | naive / this |',
  '|---|---:|---:|',
  ...Object.entries(results).map(([k, v]) => `| ${k} | ${us(median(v))} | ${(naiveNs / median(v)).toFixed(1)}× |`),
].join('\n');
if (sink < 0) console.log(sink);
const at64 = median(results['taskloaf batch 64']!);
const goals: Goal[] = [{ goal: 'task message encode + decode ≤ 1 µs per task at batch ≥ 64', figure: us(at64), met: at64 <= 1000, figureKey: 'ns.taskloaf batch 64' }];
const figures: Record<string, FigureInput> = Object.fromEntries(Object.entries(results).map(([k, v]) => [`ns.${k}`, { label: `${k}: encode + decode per task`, unit: 'ns', better: 'lower', runs: v, goal: k === 'taskloaf batch 64' }]));
publish('wire-batch', opts, m, { data: { nanosecondsPerTask: results }, table, goals, figures });
