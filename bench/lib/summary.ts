// The summary table of bench/README.md: every goal of every benchmark, read
// back from bench/results/*.json, so the table always says what the stored
// results say.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Machine } from './machine.js';
import type { Goal } from './report.js';

export interface StoredResult {
  benchmark: string;
  quick: boolean;
  rounds: number;
  machine: Machine;
  goals?: Goal[];
}

export function readResults(dir: string): StoredResult[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as StoredResult);
}

/** One row per goal, in the order the benchmarks are listed in `order` (others after). */
export function summaryTable(results: StoredResult[], order: readonly string[]): string {
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  const sorted = [...results].filter((r) => (r.goals ?? []).length > 0).sort((a, b) => rank(a.benchmark) - rank(b.benchmark));
  if (sorted.length === 0) return 'No results with goals yet: run `npm run bench`.';
  const machines = [...new Set(sorted.map((r) => `${r.machine.cpuModel}, ${r.machine.cores} cores, ${r.machine.numaNodes} NUMA node(s), ${r.machine.memoryGiB} GiB, Linux ${r.machine.kernel}, Node ${r.machine.node}, ${r.machine.mpi}`))];
  const dates = sorted.map((r) => r.machine.date.slice(0, 10)).sort();
  const met = sorted.flatMap((r) => r.goals!).filter((g) => g.met).length;
  const total = sorted.flatMap((r) => r.goals!).length;
  return [
    `Measured ${dates[0] === dates[dates.length - 1] ? dates[0] : `${dates[0]} to ${dates[dates.length - 1]}`} on ${machines.join('; ')}. ${met} of ${total} goals met.`,
    '',
    '| benchmark | goal | measured | median and spread of the figure judged | |',
    '|---|---|---|---|---|',
    ...sorted.flatMap((r) =>
      r.goals!.map((g) => `| ${r.benchmark}${r.quick ? ' (quick)' : ''} | ${g.goal} | ${g.figure} | ${g.spread ?? '—'} | ${g.met ? 'met' : '**not met**'} |`),
    ),
  ].join('\n');
}
