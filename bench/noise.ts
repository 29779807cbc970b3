// Measures what "within noise" means on this machine: runs the suite several
// times in a row (each run as `npm run bench` would, reruns of wide figures
// included), keeps each headline figure's median from every run, and stores
// the spread of those medians as the figure's noise band in bench/noise.json
// and bench/README.md. The last run is stored as the baseline that
// `bench compare` reads: bench/results (full runs, README sections and
// summary too) or bench/results/quick (quick runs).
// Usage: npm run bench -- noise [--runs N] [--quick] [name...] [other suite flags]
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_NAMES } from '../src/cli/commands/bench.js';
import { packageRoot } from '../src/native/addon.js';
import { machine } from './lib/machine.js';
import { measureNoise, noiseFile, noiseSection, readNoise, type SuiteResult } from './lib/noise.js';
import { replaceSection } from './lib/readme.js';
import { resultsDir } from './lib/report.js';
import { readResults, summaryTable } from './lib/summary.js';

/** The benchmarks that hold headline figures. */
const HEADLINE = ['wire-move', 'runtime', 'peers', 'taskbench', 'stealing'];

const argv = process.argv.slice(2);
const at = argv.indexOf('--runs');
const runs = at >= 0 ? Number(argv[at + 1]) : 3;
if (!Number.isInteger(runs) || runs < 2) {
  process.stderr.write(`bench noise: --runs takes a whole number ≥ 2 (a spread needs two runs), got ${at >= 0 ? JSON.stringify(argv[at + 1]) : 'nothing'} [ERR_INVALID_OPTION]\n`);
  process.exit(2);
}
const rest = argv.filter((_, i) => at < 0 || (i !== at && i !== at + 1));
if (rest.includes('--out') || rest.includes('--no-write')) {
  process.stderr.write('bench noise: writes bench/noise.json and the stored results itself; --out and --no-write are not for it [ERR_INVALID_OPTION]\n');
  process.exit(2);
}
const quick = rest.includes('--quick');
const named = rest.filter((a, i) => !a.startsWith('--') && !(i > 0 && /^--(rounds|width|ranks|reruns)$/.test(rest[i - 1]!)));
const suite = join(packageRoot, 'bench', 'run.ts');
const scratch = mkdtempSync(join(tmpdir(), 'taskloaf-noise-'));
try {
  const results: SuiteResult[][] = [];
  for (let i = 0; i < runs; i++) {
    const dir = join(scratch, String(i));
    process.stderr.write(`bench noise: suite run ${i + 1} of ${runs}\n`);
    const args = [...rest, ...(named.length || quick ? [] : HEADLINE), '--out', dir];
    const r = spawnSync(process.execPath, ['--import', 'tsx', suite, ...args], { stdio: 'inherit' });
    if (r.status !== 0) {
      process.stderr.write(`bench noise: suite run ${i + 1} failed (${r.signal ?? `status ${r.status}`})\n`);
      process.exit(1);
    }
    results.push(readResults(dir) as unknown as SuiteResult[]);
  }
  const table = readNoise();
  table[quick ? 'quick' : 'full'] = { measured: new Date().toISOString(), machine: machine(), suiteRuns: runs, figures: measureNoise(results) };
  writeFileSync(noiseFile, JSON.stringify(table, null, 2) + '\n');
  const readme = join(packageRoot, 'bench', 'README.md');
  replaceSection(readme, 'noise', noiseSection(table));
  // The last run becomes the stored baseline.
  const last = join(scratch, String(runs - 1));
  const dest = quick ? join(resultsDir, 'quick') : resultsDir;
  if (quick) rmSync(dest, { recursive: true, force: true });
  cpSync(last, dest, { recursive: true });
  if (!quick) {
    for (const r of readResults(last) as unknown as (SuiteResult & { section?: string })[]) if (r.section) replaceSection(readme, r.benchmark, r.section);
    replaceSection(readme, 'summary', summaryTable(readResults(resultsDir), BENCH_NAMES));
  }
  process.stderr.write(`bench noise: ${Object.keys(table[quick ? 'quick' : 'full']!.figures).length} headline figures over ${runs} runs written to bench/noise.json; baseline stored in ${dest} (${readdirSync(last).length} files)\n`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
