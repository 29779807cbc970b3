// The benchmark suite in one command: runs the named benchmarks (all by
// default) one after another, each writing bench/results/<name>.json, its
// charts and its section of bench/README.md, then rewrites the summary table
// from the stored results.
// Usage: npm run bench -- [--quick] [--rounds N] [--no-write] [name...]
//        taskloaf bench [name...] [--quick] [--rounds N] [--no-write]
// Other --flags go to every benchmark (e.g. --width 8 for taskbench, --ranks 1,2,4,8 for stealing).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_NAMES, VALUE_FLAGS } from '../src/cli/commands/bench.js';
import { packageRoot } from '../src/native/addon.js';
import { replaceSection } from './lib/readme.js';
import { benchOptions, resultsDir } from './lib/report.js';
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
const opts = benchOptions(argv);
// Flags and their values go to every benchmark; bare words name benchmarks.
const flags: string[] = [];
const chosen: string[] = [];
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!;
  if (a.startsWith('--')) {
    flags.push(a);
    if (VALUE_FLAGS[a] && i + 1 < argv.length) flags.push(argv[++i]!);
  } else chosen.push(a);
}
const unknown = chosen.filter((n) => !names.includes(n));
if (unknown.length) {
  process.stderr.write(`bench: no benchmark named ${unknown.map((n) => `'${n}'`).join(', ')}; the benchmarks are ${names.join(', ')}\n`);
  process.exit(2);
}

const failed: string[] = [];
for (const name of chosen.length ? chosen : names) {
  const started = performance.now();
  process.stderr.write(`bench: ${name}${opts.quick ? ' (quick)' : ''}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(packageRoot, 'bench', BENCHMARKS[name as (typeof BENCH_NAMES)[number]]), ...flags], { stdio: 'inherit' });
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  if (r.status !== 0) {
    failed.push(name);
    process.stderr.write(`bench: ${name} failed (${r.signal ?? `status ${r.status}`}) after ${seconds} s\n`);
  } else process.stderr.write(`bench: ${name} done in ${seconds} s\n`);
}
if (opts.write) replaceSection(join(packageRoot, 'bench', 'README.md'), 'summary', summaryTable(readResults(resultsDir), names));
if (failed.length) {
  process.stderr.write(`bench: ${failed.length} benchmark(s) failed: ${failed.join(', ')}\n`);
  process.exit(1);
}
