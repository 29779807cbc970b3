// What every benchmark runner shares: its command-line options, and writing
// its results: bench/results/<name>.json (every run, every figure with its
// spread, the quiet starts, the machine and the goals), its charts
// (bench/results/*.svg) and its section of bench/README.md. With --out DIR
// the JSON and charts go to DIR and the README is left alone (the suite
// picks which try to publish).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/native/addon.js';
import type { Machine } from './machine.js';
import { enableQuietStarts, quietSentence, quietSummary } from './quiet.js';
import { replaceSection } from './readme.js';
import { figure, formatSpread, spreadTable, type Figure, type FigureInput } from './spread.js';

export interface BenchOptions {
  /** A short smoke run (CI). */
  quick: boolean;
  /** Write results, charts and the README section (not with --no-write). */
  write: boolean;
  /** Runs to take the median of (--rounds N; 1 when quick, else 5). */
  rounds: number;
  /** Where the JSON and charts go instead of bench/results (--out DIR); the README is then left alone. */
  out?: string;
}

/** One goal of the benchmark, the figure measured for it, and whether it was met. */
export interface Goal {
  goal: string;
  figure: string;
  met: boolean;
  /** The key of the figure (in the published figures) the goal is judged on, whose spread the summary shows. */
  figureKey?: string;
  /** That figure's spread, filled in when published. */
  spread?: string;
  /** That figure stayed wide. */
  wide?: boolean;
}

export const resultsDir = join(packageRoot, 'bench', 'results');

export function benchOptions(argv = process.argv.slice(2)): BenchOptions {
  const quick = argv.includes('--quick');
  const at = argv.indexOf('--rounds');
  const rounds = at >= 0 ? Number(argv[at + 1]) : quick ? 1 : 5;
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds: a whole number of runs ≥ 1, got ${argv[at + 1]}`);
  const outAt = argv.indexOf('--out');
  const out = outAt >= 0 ? argv[outAt + 1] : undefined;
  if (outAt >= 0 && !out) throw new Error('--out: a directory for the results');
  enableQuietStarts();
  return { quick, write: !argv.includes('--no-write'), rounds, out };
}

export interface Publication {
  data: Record<string, unknown>;
  table: string;
  goals?: Goal[];
  /** File name (in bench/results) → SVG text. */
  charts?: Record<string, string>;
  /** Every median the table publishes, with its runs. */
  figures?: Record<string, FigureInput>;
}

/**
 * Prints the table with every figure's spread and the quiet starts, and
 * unless --no-write stores the results next to the machine they came from.
 */
export function publish(name: string, opts: BenchOptions, machine: Machine, p: Publication): void {
  const figures: Record<string, Figure> = Object.fromEntries(Object.entries(p.figures ?? {}).map(([k, f]) => [k, figure(f)]));
  const goals = (p.goals ?? []).map((g) => {
    const f = g.figureKey ? figures[g.figureKey] : undefined;
    if (g.figureKey && !f) throw new Error(`${name}: goal "${g.goal}" names figure ${g.figureKey}, which is not published`);
    return f ? { ...g, spread: formatSpread(f), wide: f.wide } : g;
  });
  const section = [p.table, quietSentence(), spreadTable(figures)].filter(Boolean).join('\n\n');
  console.log(section);
  if (!opts.write) return;
  const dir = opts.out ?? resultsDir;
  mkdirSync(dir, { recursive: true });
  const record = {
    benchmark: name,
    quick: opts.quick,
    rounds: opts.rounds,
    machine,
    goals,
    figures,
    quiet: quietSummary(),
    section,
    charts: Object.keys(p.charts ?? {}),
    ...p.data,
  };
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(record, null, 2) + '\n');
  for (const [file, svg] of Object.entries(p.charts ?? {})) writeFileSync(join(dir, file), svg);
  if (opts.out === undefined) replaceSection(join(packageRoot, 'bench', 'README.md'), name, section);
}
