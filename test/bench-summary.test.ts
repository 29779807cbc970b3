// The summary table of bench/README.md, built from stored results.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { readResults, summaryTable, type StoredResult } from '../bench/lib/summary.js';

const machine = { host: 'h', cpuModel: 'CPU X', cores: 2, numaNodes: 1, memoryGiB: 24, kernel: '6.1', node: 'v20', mpi: 'Open MPI v4', date: '2026-11-30T00:00:00Z' };
const result = (benchmark: string, goals: StoredResult['goals'], quick = false): StoredResult => ({ benchmark, quick, rounds: 5, machine, goals });

t.test('one row per goal, benchmarks in the given order, met or not', async (t) => {
  const table = summaryTable(
    [
      result('peers', [
        { goal: 'round trip ≤ 5 µs', figure: '14 µs', met: false },
        { goal: 'throughput ≥ 500k/s', figure: '850 k/s', met: true },
      ]),
      result('pingpong', [{ goal: 'gap ≤ 2 µs', figure: '1.8 µs', met: true, spread: '1.8 µs (1.7 µs – 2.9 µs, 5 runs) **wide**' }]),
      result('arena', []),
    ],
    ['pingpong', 'arena', 'peers'],
  );
  const rows = table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| benchmark'));
  t.same(rows, [
    '| pingpong | gap ≤ 2 µs | 1.8 µs | 1.8 µs (1.7 µs – 2.9 µs, 5 runs) **wide** | met |',
    '| peers | round trip ≤ 5 µs | 14 µs | — | **not met** |',
    '| peers | throughput ≥ 500k/s | 850 k/s | — | met |',
  ]);
  t.match(table, /2 of 3 goals met/);
  t.match(table, /CPU X, 2 cores, 1 NUMA node\(s\), 24 GiB/);
});

t.test('quick results are marked; no results say how to make them', async (t) => {
  t.match(summaryTable([result('peers', [{ goal: 'g', figure: 'f', met: true }], true)], []), /\| peers \(quick\) \|/);
  t.match(summaryTable([], []), /npm run bench/);
});

t.test('reads every JSON file of a results directory', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'taskloaf-results-'));
  writeFileSync(join(dir, 'a.json'), JSON.stringify(result('a', [{ goal: 'g', figure: 'f', met: true }])));
  writeFileSync(join(dir, 'chart.svg'), '<svg/>');
  t.same(readResults(dir).map((r) => r.benchmark), ['a']);
  t.same(readResults(join(dir, 'missing')), []);
});
