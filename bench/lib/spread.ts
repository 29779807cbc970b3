// How much a figure moves between the runs it is the median of. Every figure a
// benchmark publishes is stored with its runs, median, quartiles, min and
// max; one whose max/min is over WIDE_RATIO is "wide": the suite measures its
// benchmark again (bench/run.ts) and publishes it flagged if it stays wide.

/** max/min over which a figure's runs count as too far apart to trust their median. */
export const WIDE_RATIO = 1.5;

export interface Spread {
  n: number;
  median: number;
  min: number;
  max: number;
  q1: number;
  q3: number;
  /** max/min; null when min ≤ 0 (a ratio says nothing there). */
  ratio: number | null;
  wide: boolean;
}

/** What a benchmark declares about one figure. */
export interface FigureInput {
  label: string;
  /** How the value prints: 'µs', 'ms', 's', '/s', '%' (a share 0–1), '×', 'MiB' (bytes), 'ns', 'MB/s', '' (a plain number). */
  unit: string;
  better: 'lower' | 'higher';
  /** One value per run. */
  runs: number[];
  /** One of the figures whose noise bench/README.md defines (the suite reruns a wide one). */
  headline?: boolean;
  /** Behind a goal (the suite reruns a wide one). */
  goal?: boolean;
}

export type Figure = FigureInput & Spread;

/** Linear interpolation between order statistics (the common "type 7" quantile). */
export function quantile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]!) - sorted[lo]!);
}

export function spread(runs: number[], wideRatio = WIDE_RATIO): Spread {
  const xs = runs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (xs.length === 0) throw new Error('a figure needs at least one finite run');
  const min = xs[0]!;
  const max = xs[xs.length - 1]!;
  const ratio = min > 0 ? max / min : null;
  return { n: xs.length, median: quantile(xs, 0.5), min, max, q1: quantile(xs, 0.25), q3: quantile(xs, 0.75), ratio, wide: ratio !== null && ratio > wideRatio };
}

export function figure(input: FigureInput, wideRatio = WIDE_RATIO): Figure {
  return { ...input, ...spread(input.runs, wideRatio) };
}

const sig = (x: number) => {
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : a >= 1 ? x.toFixed(2) : x.toPrecision(2);
};

/** A value in its unit, for tables. */
export function formatValue(x: number, unit: string): string {
  switch (unit) {
    case '%':
      return `${sig(x * 100)}%`;
    case 'MiB':
      return `${sig(x / 2 ** 20)} MiB`;
    case '/s':
      return x >= 1e6 ? `${sig(x / 1e6)} M/s` : x >= 1e3 ? `${sig(x / 1e3)} k/s` : `${sig(x)} /s`;
    case '×':
      return `${sig(x)}×`;
    case 'µs':
      return x >= 1000 ? `${sig(x / 1000)} ms` : `${sig(x)} µs`;
    case '':
      return sig(x);
    default:
      return `${sig(x)} ${unit}`;
  }
}

/** "median (min–max, n runs)", flagged when wide. */
export function formatSpread(f: Figure): string {
  const range = f.n > 1 ? ` (${formatValue(f.min, f.unit)} – ${formatValue(f.max, f.unit)}, ${f.n} runs)` : ' (1 run)';
  return `${formatValue(f.median, f.unit)}${range}${f.wide ? ' **wide**' : ''}`;
}

/** The table of every figure's spread, folded under a summary line. */
export function spreadTable(figures: Record<string, Figure>): string {
  const all = Object.values(figures);
  if (all.length === 0) return '';
  const wide = all.filter((f) => f.wide);
  return [
    '<details>',
    `<summary>Spread of every figure above: median, min – max over the runs, max/min (wide over ${WIDE_RATIO}: ${wide.length ? wide.map((f) => f.label).join('; ') : 'none'})</summary>`,
    '',
    '| figure | median | min – max | runs | max/min |',
    '|---|---:|---:|---:|---:|',
    ...all.map((f) => `| ${f.label}${f.headline ? ' (headline)' : ''} | ${formatValue(f.median, f.unit)} | ${formatValue(f.min, f.unit)} – ${formatValue(f.max, f.unit)} | ${f.n} | ${f.ratio === null ? '—' : f.ratio.toFixed(2)}${f.wide ? ' **wide**' : ''} |`),
    '',
    '</details>',
  ].join('\n');
}

/** The widest of the figures the suite reruns for (headline or behind a goal); 1 when none is judged. */
export function widestJudged(figures: Record<string, Figure>): { ratio: number; wide: string[] } {
  const judged = Object.entries(figures).filter(([, f]) => f.headline || f.goal);
  return {
    ratio: Math.max(1, ...judged.map(([, f]) => f.ratio ?? 1)),
    wide: judged.filter(([, f]) => f.wide).map(([k]) => k),
  };
}

/** Of several tries at one benchmark: the first with no wide judged figure, else the one whose widest is narrowest. */
export function keptTry<T extends { widest: number; wide: string[] }>(tries: T[]): T {
  if (tries.length === 0) throw new Error('no try to keep');
  return tries.find((t) => t.wide.length === 0) ?? tries.reduce((best, t) => (t.widest < best.widest ? t : best));
}
