// The benchmark suite in one command: runs the named benchmarks (all by
// default) one after another. A benchmark whose headline or goal figure came
// out wide (max/min over its runs above bench/lib/spread.ts's WIDE_RATIO) is
// measured again, up to --reruns times; the first try with no such figure is
// kept, else the narrowest, published with its wide figures flagged. The
// kept try's JSON and charts go to bench/results (or --out DIR), its section
// to bench/README.md (not with --out), and the summary table is rebuilt from
// the stored results.
// Usage: npm run bench -- [--quick] [--rounds N] [--reruns N] [--out DIR] [--no-write] [name...]
//        npm run bench -- compare DIR [--against DIR]     (bench/compare.ts)
//        npm run bench -- noise [--runs N] [--quick] [name...]   (bench/noise.ts)
// Other --flags go to every benchmark (e.g. --width 8 for taskbench, --ranks 1,2,4,8 for stealing).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_NAMES, VALUE_FLAGS } from '../src/cli/commands/bench.js';
import { packageRoot } from '../src/native/addon.js';
import { replaceSection } from './lib/readme.js';
import { resultsDir } from './lib/report.js';
import { keptTry, widestJudged, type Figure } from './lib/spread.js';
import { readResults, summaryTable } from './lib/summary.js';

/** Every benchmark's runner, in the order the suite runs them and the summary lists them. */
const BENCHMARKS: Record<(typeof BENCH_NAMES)[number], string> = {
  pingpong: 'pingpong/run.ts',
  arena: 'arena/run.ts',
  'wire-values': 'wire/values.ts',
  'wire-batch': 'wire/batch.ts',
  'wire-frame': 'wire/frame.ts',
  'wire-move': 'wire/run-move.ts',
  runtime: 'runtime/run.ts',
  peers: 'peers/run.ts',
  taskbench: 'taskbench/run.ts',
  stealing: 'stealing/run.ts',
};
const names: readonly string[] = BENCH_NAMES;

const argv = process.argv.slice(2);
if (argv[0] === 'compare' || argv[0] === 'noise') {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(packageRoot, 'bench', `${argv[0]}.ts`), ...argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

// The suite's own flags; the rest, and their values, go to every benchmark.
const flags: string[] = [];
const chosen: string[] = [];
let out: string | undefined;
let reruns: number | undefined;
let write = true;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!;
  if (a === '--out' || a === '--reruns') {
    const v = argv[++i];
    if (v === undefined || (a === '--reruns' && !/^\d+$/.test(v))) {
      process.stderr.write(`bench: ${a} takes ${a === '--out' ? 'a directory' : 'a whole number ≥ 0'}, got ${v === undefined ? 'nothing' : JSON.stringify(v)} [ERR_INVALID_OPTION]\n`);
      process.exit(2);
    }
    if (a === '--out') out = v;
    else reruns = Number(v);
  } else if (a === '--no-write') write = false;
  else if (a.startsWith('--')) {
    flags.push(a);
    if (VALUE_FLAGS[a] && i + 1 < argv.length) flags.push(argv[++i]!);
  } else chosen.push(a);
}
const quick = flags.includes('--quick');
const maxReruns = reruns ?? (quick ? 0 : 2);
const unknown = chosen.filter((n) => !names.includes(n));
if (unknown.length) {
  process.stderr.write(`bench: no benchmark named ${unknown.map((n) => `'${n}'`).join(', ')}; the benchmarks are ${names.join(', ')}\n`);
  process.exit(2);
}

interface Stored {
  benchmark: string;
  figures?: Record<string, Figure>;
  section?: string;
  charts?: string[];
  tries?: { widest: number; wide: string[] }[];
}

const dest = out ?? resultsDir;
const scratch = mkdtempSync(join(tmpdir(), 'taskloaf-bench-'));
const failed: string[] = [];
try {
  for (const name of chosen.length ? chosen : names) {
    const tries: { dir: string; stored: Stored; widest: number; wide: string[] }[] = [];
    for (let k = 0; k <= maxReruns; k++) {
      const dir = join(scratch, `${name}-${k}`);
      mkdirSync(dir);
      const started = performance.now();
      process.stderr.write(`bench: ${name}${quick ? ' (quick)' : ''}${k ? ` again (try ${k + 1} of at most ${maxReruns + 1})` : ''}\n`);
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(packageRoot, 'bench', BENCHMARKS[name as (typeof BENCH_NAMES)[number]]), ...flags, '--out', dir], { stdio: 'inherit' });
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      if (r.status !== 0) {
        process.stderr.write(`bench: ${name} failed (${r.signal ?? `status ${r.status}`}) after ${seconds} s\n`);
        break;
      }
      const stored = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Stored;
      const { ratio, wide } = widestJudged(stored.figures ?? {});
      tries.push({ dir, stored, widest: ratio, wide });
      process.stderr.write(`bench: ${name} done in ${seconds} s${wide.length ? `; wide: ${wide.join(', ')} (max/min up to ${ratio.toFixed(2)})` : ''}\n`);
      if (wide.length === 0) break;
    }
    if (tries.length === 0) {
      failed.push(name);
      continue;
    }
    const kept = keptTry(tries);
    if (kept.wide.length) process.stderr.write(`bench: ${name}: still wide after ${tries.length} tries (${kept.wide.join(', ')}); published flagged\n`);
    if (!write) continue;
    mkdirSync(dest, { recursive: true });
    const record = { ...kept.stored, tries: tries.map((t) => ({ widest: t.widest, wide: t.wide })) };
    writeFileSync(join(dest, `${name}.json`), JSON.stringify(record, null, 2) + '\n');
    for (const chart of kept.stored.charts ?? []) copyFileSync(join(kept.dir, chart), join(dest, chart));
    if (out === undefined && kept.stored.section) replaceSection(join(packageRoot, 'bench', 'README.md'), name, kept.stored.section);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (write && out === undefined && existsSync(dest)) replaceSection(join(packageRoot, 'bench', 'README.md'), 'summary', summaryTable(readResults(dest), names));
if (failed.length) {
  process.stderr.write(`bench: ${failed.length} benchmark(s) failed: ${failed.join(', ')}\n`);
  process.exit(1);
}
