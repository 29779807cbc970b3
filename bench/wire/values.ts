// The value codec next to node's v8 serializer and JSON, encode + decode per
// value, in one process. Writes bench/results/wire-values.json and the
// wire-values section of bench/README.md.
// Usage: node --import tsx bench/wire/values.ts [--quick] [--rounds N] [--no-write]
import { deserialize, serialize } from 'node:v8';
import { decodeValue, encodeValue } from '../../test/helpers/values.js';
import { machine, median } from '../lib/machine.js';
import type { FigureInput } from '../lib/spread.js';
import { quietStart } from '../lib/quiet.js';
import { benchOptions, publish } from '../lib/report.js';

const opts = benchOptions();
const { quick, rounds } = opts;

const payloads: Record<string, { value: unknown; iters: number; json: boolean }> = {
  'tiny args [n, "abc", {x: 1}]': { value: [42, 'abc', { x: 1 }], iters: 200_000, json: true },
  'record (20 fields, nested)': {
    value: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`field${i}`, i % 3 ? i * 1.5 : { name: `n${i}`, tags: ['a', 'b'] }])),
    iters: 50_000,
    json: true,
  },
  'Float64Array, 1 MiB': { value: new Float64Array(131072).fill(1.25), iters: 2_000, json: false },
};

const systems: Record<string, (v: unknown) => unknown> = {
  taskloaf: (v) => {
    const e = encodeValue(v);
    return decodeValue(e.body, e.buffers);
  },
  'v8.serialize': (v) => deserialize(serialize(v)),
  JSON: (v) => JSON.parse(JSON.stringify(v)),
};

quietStart('wire-values (in this process)');
const results: Record<string, Record<string, number[]>> = {};
for (let r = 0; r < rounds; r++) {
  for (const [name, p] of Object.entries(payloads)) {
    for (const [sys, fn] of Object.entries(systems)) {
      if (sys === 'JSON' && !p.json) continue;
      const iters = Math.max(10, Math.floor(p.iters * (quick ? 0.05 : 1)));
      for (let i = 0; i < Math.min(iters, 1000); i++) fn(p.value); // warm up
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < iters; i++) fn(p.value);
      const ns = Number(process.hrtime.bigint() - t0) / iters;
      ((results[name] ??= {})[sys] ??= []).push(ns);
    }
  }
}
const m = machine();
const us = (ns: number | undefined) => (ns === undefined ? '—' : ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
const rows = Object.keys(payloads).map((name) => {
  const t = median(results[name]!.taskloaf!);
  const v = median(results[name]!['v8.serialize']!);
  const j = results[name]!.JSON ? median(results[name]!.JSON!) : undefined;
  return `| ${name} | ${us(t)} | ${us(v)} | ${us(j)} | ${(v / t).toFixed(1)}× |`;
});
const table = [
  `Measured ${m.date.slice(0, 10)} on ${m.cpuModel}, Node ${m.node}; median of ${rounds} run(s)${quick ? ' (quick mode)' : ''}. Encode + decode of one value.`,
  '',
  '| value | taskloaf codec | v8.serialize | JSON | v8 / taskloaf |',
  '|---|---:|---:|---:|---:|',
  ...rows,
  '',
  'The typed array row is where out-of-band payloads show: the codec lists the array\'s memory instead of copying it (the receiver views it in place), while v8.serialize copies it in and out.',
].join('\n');
const figures: Record<string, FigureInput> = {};
for (const [name, bySystem] of Object.entries(results)) for (const [sys, v] of Object.entries(bySystem)) figures[`ns.${name}.${sys}`] = { label: `${name}, ${sys}: encode + decode`, unit: 'ns', better: 'lower', runs: v };
publish('wire-values', opts, m, { data: { nanosecondsPerValue: results }, table, figures });
