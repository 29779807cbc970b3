// What "within noise" means. The suite is run several times in a row on one
// machine (bench/noise.ts); each headline figure's median from each suite run
// is kept, and the widest ratio between two of them (max/min) is that
// figure's noise band. A new figure is within noise of a stored one when
// neither is more than the band above the other.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/native/addon.js';
import type { Machine } from './machine.js';
import { formatValue, type Figure } from './spread.js';

export const noiseFile = join(packageRoot, 'bench', 'noise.json');

export interface NoiseFigure {
  benchmark: string;
  key: string;
  label: string;
  unit: string;
  better: 'lower' | 'higher';
  /** The figure's median from each suite run, in order. */
  medians: number[];
  /** max/min of those medians; null when one is ≤ 0. */
  band: number | null;
}

export interface NoiseMode {
  measured: string;
  machine: Machine;
  suiteRuns: number;
  /** `${benchmark}.${figure key}` → the figure's noise. */
  figures: Record<string, NoiseFigure>;
}

export type NoiseTable = Partial<Record<'full' | 'quick', NoiseMode>>;

export function readNoise(file = noiseFile): NoiseTable {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as NoiseTable) : {};
}

export interface SuiteResult {
  benchmark: string;
  quick: boolean;
  machine: Machine;
  figures?: Record<string, Figure>;
}

/** The noise of every headline figure over several suite runs (each a list of benchmark results). */
export function measureNoise(runs: SuiteResult[][]): Record<string, NoiseFigure> {
  const out: Record<string, NoiseFigure> = {};
  for (const run of runs) {
    for (const result of run) {
      for (const [key, f] of Object.entries(result.figures ?? {})) {
        if (!f.headline) continue;
        const id = `${result.benchmark}.${key}`;
        (out[id] ??= { benchmark: result.benchmark, key, label: f.label, unit: f.unit, better: f.better, medians: [], band: null }).medians.push(f.median);
      }
    }
  }
  for (const f of Object.values(out)) {
    const min = Math.min(...f.medians);
    f.band = min > 0 ? Math.max(...f.medians) / min : null;
  }
  return out;
}

export type Verdict = 'within noise' | 'better' | 'worse' | 'no noise band' | 'not comparable';

export interface Comparison {
  id: string;
  label: string;
  unit: string;
  stored?: number;
  now?: number;
  /** now / stored */
  ratio?: number;
  band: number | null;
  verdict: Verdict;
  why?: string;
}

/** One figure, new against stored, judged by its band. */
export function judge(now: number, stored: number, better: 'lower' | 'higher', band: number | null): Verdict {
  if (band === null || !(stored > 0) || !(now > 0)) return 'no noise band';
  const r = now / stored;
  if (Math.max(r, 1 / r) <= band) return 'within noise';
  return (r < 1) === (better === 'lower') ? 'better' : 'worse';
}

/**
 * Every headline figure of the new results against the stored ones: within
 * noise, better or worse by the band measured for its mode; not comparable
 * when one run was quick and the other not.
 */
export function compare(now: SuiteResult[], stored: SuiteResult[], noise: NoiseTable): Comparison[] {
  const out: Comparison[] = [];
  for (const result of now) {
    const before = stored.find((s) => s.benchmark === result.benchmark);
    const mode = noise[result.quick ? 'quick' : 'full'];
    for (const [key, f] of Object.entries(result.figures ?? {})) {
      if (!f.headline) continue;
      const id = `${result.benchmark}.${key}`;
      const old = before?.figures?.[key];
      const band = mode?.figures[id]?.band ?? null;
      const base: Comparison = { id, label: f.label, unit: f.unit, now: f.median, band, verdict: 'no noise band' };
      if (!before || !old) out.push({ ...base, verdict: 'not comparable', why: `no stored ${before ? 'figure' : 'result'}` });
      else if (before.quick !== result.quick) out.push({ ...base, stored: old.median, verdict: 'not comparable', why: `${result.quick ? 'quick' : 'full'} run against a ${before.quick ? 'quick' : 'full'} one` });
      else out.push({ ...base, stored: old.median, ratio: f.median / old.median, verdict: judge(f.median, old.median, f.better, band), ...(mode ? {} : { why: `no ${result.quick ? 'quick' : 'full'} noise table` }) });
    }
  }
  return out;
}

export function comparisonTable(rows: Comparison[]): string {
  return [
    '| figure | stored | now | now / stored | noise band | verdict |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map(
      (c) =>
        `| ${c.id} | ${c.stored === undefined ? '—' : formatValue(c.stored, c.unit)} | ${c.now === undefined ? '—' : formatValue(c.now, c.unit)} | ${c.ratio === undefined ? '—' : `${c.ratio.toFixed(2)}×`} | ${c.band === null ? '—' : `×${c.band.toFixed(2)}`} | ${c.verdict}${c.why ? ` (${c.why})` : ''} |`,
    ),
  ].join('\n');
}

/** The noise section of bench/README.md. */
export function noiseSection(table: NoiseTable): string {
  const parts: string[] = [];
  for (const mode of ['full', 'quick'] as const) {
    const m = table[mode];
    if (!m) continue;
    parts.push(
      `${mode === 'full' ? 'Full runs (`npm run bench`, 5 runs a benchmark)' : 'Quick runs (`npm run bench -- --quick`, what CI runs)'}: ${m.suiteRuns} suite runs in a row, ${m.measured.slice(0, 10)}, on ${m.machine.cpuModel}, ${m.machine.cores} cores, Node ${m.machine.node}, ${m.machine.mpi.split(',')[0]}.`,
      '',
      '| figure | median of each suite run | noise band (max/min) |',
      '|---|---|---:|',
      ...Object.entries(m.figures).map(([id, f]) => `| ${id}: ${f.label} | ${f.medians.map((x) => formatValue(x, f.unit)).join(', ')} | ${f.band === null ? '—' : `×${f.band.toFixed(2)}`} |`),
      '',
    );
  }
  return parts.length ? parts.join('\n') : 'No noise measured yet: run `npm run bench -- noise`.';
}
