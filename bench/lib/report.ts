// What every benchmark runner shares: its command-line options, and writing
// its results (bench/results/<name>.json and its section of bench/README.md).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/native/addon.js';
import type { Machine } from './machine.js';
import { replaceSection } from './readme.js';

export interface BenchOptions {
  /** A short smoke run (CI). */
  quick: boolean;
  /** Write results and the README section (not with --no-write). */
  write: boolean;
  /** Runs to take the median of (--rounds N; 1 when quick, else 5). */
  rounds: number;
}

export function benchOptions(argv = process.argv.slice(2)): BenchOptions {
  const quick = argv.includes('--quick');
  const at = argv.indexOf('--rounds');
  return { quick, write: !argv.includes('--no-write'), rounds: at >= 0 ? Number(argv[at + 1]) : quick ? 1 : 5 };
}

/** Prints the table and, unless --no-write, stores the results next to the machine they came from. */
export function publish(name: string, opts: BenchOptions, machine: Machine, data: Record<string, unknown>, table: string): void {
  console.log(table);
  if (!opts.write) return;
  const dir = join(packageRoot, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), JSON.stringify({ benchmark: name, quick: opts.quick, rounds: opts.rounds, machine, ...data }, null, 2) + '\n');
  replaceSection(join(packageRoot, 'bench', 'README.md'), name, table);
}
