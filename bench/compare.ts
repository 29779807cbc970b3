// Compares a new benchmark run with the stored one, figure by figure: within
// noise, better or worse, by the noise band bench/noise.json gives each
// headline figure for runs of that mode. It reports; it never fails a build.
// Usage: npm run bench -- compare DIR [--against DIR]
//   DIR        results of the new run (npm run bench -- --out DIR ...)
//   --against  the stored results (default bench/results, or bench/results/quick for a quick run)
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compare, comparisonTable, readNoise, type SuiteResult } from './lib/noise.js';
import { resultsDir } from './lib/report.js';
import { readResults } from './lib/summary.js';

const argv = process.argv.slice(2);
const fail = (msg: string): never => {
  process.stderr.write(`bench compare: ${msg} [ERR_INVALID_OPTION]\n`);
  process.exit(2);
};
const at = argv.indexOf('--against');
if (at >= 0 && !argv[at + 1]) fail('--against: takes a directory of stored results');
const against = at >= 0 ? resolve(argv[at + 1]!) : undefined;
const rest = at < 0 ? argv : argv.filter((_, i) => i !== at && i !== at + 1);
if (rest.length !== 1 || rest[0]!.startsWith('-')) fail(`takes one directory of new results, got ${rest.length ? rest.map((a) => JSON.stringify(a)).join(' ') : 'none'}`);
const dir = resolve(rest[0]!);
if (!existsSync(dir)) fail(`no results directory ${dir}`);
const now = readResults(dir) as unknown as SuiteResult[];
if (now.length === 0) fail(`${dir} holds no benchmark results (*.json)`);
const quick = now.some((r) => r.quick);
const base = against ?? (quick ? join(resultsDir, 'quick') : resultsDir);
if (!existsSync(base)) fail(`no stored results at ${base}${quick ? ' (quick baselines come from npm run bench -- noise --quick)' : ''}`);
const stored = readResults(base) as unknown as SuiteResult[];
const noise = readNoise();
const rows = compare(now, stored, noise);
const mode = noise[quick ? 'quick' : 'full'];
console.log(
  `Comparing ${dir} (${quick ? 'quick' : 'full'} run, ${now[0]!.machine.date.slice(0, 10)}) with ${base}; noise bands from bench/noise.json${mode ? ` (${mode.suiteRuns} ${quick ? 'quick' : 'full'} suite runs, ${mode.measured.slice(0, 10)})` : ` (none for ${quick ? 'quick' : 'full'} runs yet)`}.\n`,
);
console.log(comparisonTable(rows));
const count = (v: string) => rows.filter((r) => r.verdict === v).length;
console.log(`\n${count('within noise')} within noise, ${count('better')} better, ${count('worse')} worse, ${rows.length - count('within noise') - count('better') - count('worse')} not judged.`);
