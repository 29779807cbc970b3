// What every benchmark runner shares: its command-line options, and writing
// its results: bench/results/<name>.json (every run, the medians, the machine
// and the goals), its charts (bench/results/*.svg) and its section of
// bench/README.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/native/addon.js';
import type { Machine } from './machine.js';
import { replaceSection } from './readme.js';

export interface BenchOptions {
  /** A short smoke run (CI). */
  quick: boolean;
  /** Write results, charts and the README section (not with --no-write). */
  write: boolean;
  /** Runs to take the median of (--rounds N; 1 when quick, else 5). */
  rounds: number;
}

/** One goal of the benchmark, the figure measured for it, and whether it was met. */
export interface Goal {
  goal: string;
  figure: string;
  met: boolean;
}

export const resultsDir = join(packageRoot, 'bench', 'results');

export function benchOptions(argv = process.argv.slice(2)): BenchOptions {
  const quick = argv.includes('--quick');
  const at = argv.indexOf('--rounds');
  const rounds = at >= 0 ? Number(argv[at + 1]) : quick ? 1 : 5;
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds: a whole number of runs ≥ 1, got ${argv[at + 1]}`);
  return { quick, write: !argv.includes('--no-write'), rounds };
}

export interface Publication {
  data: Record<string, unknown>;
  table: string;
  goals?: Goal[];
  /** File name (in bench/results) → SVG text. */
  charts?: Record<string, string>;
}

/** Prints the table and, unless --no-write, stores the results next to the machine they came from. */
export function publish(name: string, opts: BenchOptions, machine: Machine, p: Publication): void {
  console.log(p.table);
  if (!opts.write) return;
  mkdirSync(resultsDir, { recursive: true });
  const record = { benchmark: name, quick: opts.quick, rounds: opts.rounds, machine, goals: p.goals ?? [], ...p.data };
  writeFileSync(join(resultsDir, `${name}.json`), JSON.stringify(record, null, 2) + '\n');
  for (const [file, svg] of Object.entries(p.charts ?? {})) writeFileSync(join(resultsDir, file), svg);
  replaceSection(join(packageRoot, 'bench', 'README.md'), name, p.table);
}
