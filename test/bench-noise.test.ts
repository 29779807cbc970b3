// Noise bands from several suite runs, and a new run judged against the stored one.
import t from 'tap';
import { compare, comparisonTable, judge, measureNoise, noiseSection, type NoiseTable, type SuiteResult } from '../bench/lib/noise.js';
import { figure } from '../bench/lib/spread.js';

const machine = { host: 'h', cpuModel: 'CPU X', cores: 2, numaNodes: 1, memoryGiB: 24, kernel: '6.1', node: 'v24', mpi: 'Open MPI v4.1.4, package', date: '2026-12-07T00:00:00Z' };
const result = (benchmark: string, quick: boolean, figures: Record<string, { runs: number[]; headline?: boolean; better?: 'lower' | 'higher'; unit?: string }>): SuiteResult => ({
  benchmark,
  quick,
  machine,
  figures: Object.fromEntries(Object.entries(figures).map(([k, f]) => [k, figure({ label: k, unit: f.unit ?? 'µs', better: f.better ?? 'lower', runs: f.runs, headline: f.headline })])),
});

t.test('the band is max/min of the headline medians over suite runs; other figures are left out', async (t) => {
  const runs = [
    [result('peers', false, { rt: { runs: [5, 6, 7], headline: true }, lag: { runs: [1, 2, 3] } })],
    [result('peers', false, { rt: { runs: [7, 8, 9], headline: true }, lag: { runs: [1, 9, 9] } })],
    [result('peers', false, { rt: { runs: [6, 6, 6], headline: true }, lag: { runs: [1, 1, 1] } })],
  ];
  const noise = measureNoise(runs);
  t.strictSame(Object.keys(noise), ['peers.rt']);
  t.strictSame(noise['peers.rt']!.medians, [6, 8, 6]);
  t.equal(noise['peers.rt']!.band, 8 / 6);
});

t.test('within noise when neither figure is more than the band above the other', async (t) => {
  t.equal(judge(6, 5, 'lower', 1.2), 'within noise', 'exactly at the band');
  t.equal(judge(5, 6, 'lower', 1.2), 'within noise');
  t.equal(judge(6.1, 5, 'lower', 1.2), 'worse');
  t.equal(judge(4, 5, 'lower', 1.2), 'better');
  t.equal(judge(4, 5, 'higher', 1.2), 'worse', 'throughput down');
  t.equal(judge(7, 5, 'higher', 1.2), 'better');
  t.equal(judge(7, 5, 'higher', null), 'no noise band');
  t.equal(judge(0, 5, 'higher', 1.2), 'no noise band', 'a zero says nothing as a ratio');
});

t.test('a run is judged against the stored run of its own mode, by that mode’s band', async (t) => {
  const noise: NoiseTable = {
    full: { measured: machine.date, machine, suiteRuns: 3, figures: { 'peers.rt': { benchmark: 'peers', key: 'rt', label: 'rt', unit: 'µs', better: 'lower', medians: [5, 6], band: 1.2 } } },
    quick: { measured: machine.date, machine, suiteRuns: 5, figures: { 'peers.rt': { benchmark: 'peers', key: 'rt', label: 'rt', unit: 'µs', better: 'lower', medians: [5, 10], band: 2 } } },
  };
  const stored = [result('peers', false, { rt: { runs: [5], headline: true } })];
  const full = compare([result('peers', false, { rt: { runs: [7], headline: true }, lag: { runs: [3] } })], stored, noise);
  t.equal(full.length, 1, 'headline figures only');
  t.match(full[0], { id: 'peers.rt', stored: 5, now: 7, ratio: 1.4, band: 1.2, verdict: 'worse' });
  const storedQuick = [result('peers', true, { rt: { runs: [5], headline: true } })];
  t.equal(compare([result('peers', true, { rt: { runs: [7], headline: true } })], storedQuick, noise)[0]!.verdict, 'within noise', 'the quick band is wider');
  const mixed = compare([result('peers', true, { rt: { runs: [5], headline: true } })], stored, noise)[0]!;
  t.equal(mixed.verdict, 'not comparable');
  t.equal(mixed.why, 'quick run against a full one');
  t.equal(compare([result('stealing', false, { eff: { runs: [0.9], headline: true, better: 'higher', unit: '%' } })], stored, noise)[0]!.why, 'no stored result');
  const noBand = compare([result('peers', false, { rt: { runs: [5], headline: true } })], stored, {})[0]!;
  t.equal(noBand.verdict, 'no noise band');
  t.equal(noBand.why, 'no full noise table');
  t.match(comparisonTable(full), /\| peers\.rt \| 5\.00 µs \| 7\.00 µs \| 1\.40× \| ×1\.20 \| worse \|/);
});

t.test('the README section lists each mode’s figures with every suite run’s median', async (t) => {
  const table: NoiseTable = { quick: { measured: machine.date, machine, suiteRuns: 2, figures: { 'peers.rt': { benchmark: 'peers', key: 'rt', label: 'round trip', unit: 'µs', better: 'lower', medians: [5, 6], band: 1.2 } } } };
  const s = noiseSection(table);
  t.match(s, /Quick runs .*: 2 suite runs in a row, 2026-12-07, on CPU X, 2 cores, Node v24, Open MPI v4\.1\.4\./);
  t.match(s, /\| peers\.rt: round trip \| 5\.00 µs, 6\.00 µs \| ×1\.20 \|/);
  t.notMatch(s, /Full runs/);
  t.match(noiseSection({}), /No noise measured yet/);
});
