// Charts as standalone SVG text: line charts (linear or log axes, reference
// lines and marked points) and bar charts. Small on purpose: the benches need
// four kinds of chart, and a file any browser or GitHub page shows as it is.

export interface Series {
  name: string;
  points: [x: number, y: number][];
  dashed?: boolean;
}

export interface Guide {
  /** A horizontal line at this y (e.g. the 50% efficiency line). */
  y?: number;
  /** A vertical line at this x (e.g. a METG). */
  x?: number;
  label: string;
}

export interface LineChart {
  title: string;
  xLabel: string;
  yLabel: string;
  xLog?: boolean;
  yLog?: boolean;
  series: Series[];
  guides?: Guide[];
  xMin?: number;
  yMin?: number;
  yMax?: number;
}

export interface Bar {
  label: string;
  value: number;
  /** Text printed above the bar (defaults to the value). */
  note?: string;
}

export interface BarChart {
  title: string;
  yLabel: string;
  yLog?: boolean;
  bars: Bar[];
}

const W = 720;
const H = 420;
const M = { left: 78, right: 20, top: 40, bottom: 64 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf', '#7f7f7f'];

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A short label for a tick value: 1, 10, 100, 1k, 10k, 1M, 0.1, 0.01… */
export function tickLabel(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e9) return `${+(v / 1e9).toPrecision(3)}G`;
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toPrecision(3)}k`;
  return `${+v.toPrecision(3)}`;
}

interface Axis {
  lo: number;
  hi: number;
  log: boolean;
  ticks: number[];
}

/** The axis range and ticks covering `values`: decades on a log axis, 1-2-5 steps on a linear one. */
export function axis(values: number[], log: boolean, min?: number, max?: number): Axis {
  const finite = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (finite.length === 0) finite.push(log ? 1 : 0, log ? 10 : 1);
  if (log) {
    let lo = 10 ** Math.floor(Math.log10(min ?? Math.min(...finite)));
    let hi = 10 ** Math.ceil(Math.log10(max ?? Math.max(...finite)));
    if (hi <= lo) hi = lo * 10;
    const ticks: number[] = [];
    for (let t = lo; t <= hi * 1.0001; t *= 10) ticks.push(+t.toPrecision(12));
    lo = ticks[0]!;
    return { lo, hi, log, ticks };
  }
  let lo = min ?? Math.min(0, ...finite);
  let hi = max ?? Math.max(...finite);
  if (hi <= lo) hi = lo + 1;
  const raw = (hi - lo) / 6;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw)!;
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let t = lo; t <= hi + step / 2; t += step) ticks.push(+t.toPrecision(12));
  return { lo, hi, log, ticks };
}

function scale(a: Axis, from: number, to: number): (v: number) => number {
  if (a.log) {
    const l0 = Math.log10(a.lo);
    const l1 = Math.log10(a.hi);
    return (v) => from + ((Math.log10(Math.max(v, a.lo / 10)) - l0) / (l1 - l0)) * (to - from);
  }
  return (v) => from + ((v - a.lo) / (a.hi - a.lo)) * (to - from);
}

const f1 = (v: number) => v.toFixed(1);

function frame(title: string, xLabel: string, yLabel: string): string[] {
  const midY = M.top + (H - M.top - M.bottom) / 2;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="${(M.left + W - M.right) / 2}" y="${H - 12}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text x="16" y="${midY}" text-anchor="middle" transform="rotate(-90 16 ${midY})">${escapeXml(yLabel)}</text>`,
  ];
}

function yAxisLines(ya: Axis, y: (v: number) => number): string[] {
  return ya.ticks.map(
    (t) =>
      `<line x1="${M.left}" x2="${W - M.right}" y1="${f1(y(t))}" y2="${f1(y(t))}" stroke="#ddd"/>` +
      `<text x="${M.left - 6}" y="${f1(y(t) + 4)}" text-anchor="end">${tickLabel(t)}</text>`,
  );
}

export function lineChart(c: LineChart): string {
  const xs = c.series.flatMap((s) => s.points.map((p) => p[0])).concat((c.guides ?? []).flatMap((g) => (g.x === undefined ? [] : [g.x])));
  const ys = c.series.flatMap((s) => s.points.map((p) => p[1])).concat((c.guides ?? []).flatMap((g) => (g.y === undefined ? [] : [g.y])));
  const xa = axis(xs, !!c.xLog, c.xMin);
  const ya = axis(ys, !!c.yLog, c.yMin, c.yMax);
  const x = scale(xa, M.left, W - M.right);
  const y = scale(ya, H - M.bottom, M.top);
  const out = frame(c.title, c.xLabel, c.yLabel);
  out.push(...yAxisLines(ya, y));
  for (const t of xa.ticks) {
    out.push(`<line x1="${f1(x(t))}" x2="${f1(x(t))}" y1="${M.top}" y2="${H - M.bottom}" stroke="#eee"/>`);
    out.push(`<text x="${f1(x(t))}" y="${H - M.bottom + 16}" text-anchor="middle">${tickLabel(t)}</text>`);
  }
  out.push(`<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#444"/>`);
  for (const g of c.guides ?? []) {
    if (g.y !== undefined) {
      out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${f1(y(g.y))}" y2="${f1(y(g.y))}" stroke="#555" stroke-dasharray="6 4"/>`);
      out.push(`<text x="${W - M.right - 4}" y="${f1(y(g.y) - 4)}" text-anchor="end" fill="#555">${escapeXml(g.label)}</text>`);
    }
    if (g.x !== undefined) {
      out.push(`<line x1="${f1(x(g.x))}" x2="${f1(x(g.x))}" y1="${M.top}" y2="${H - M.bottom}" stroke="#888" stroke-dasharray="2 3"/>`);
      // At the foot of the line: the legend sits at the top left.
      out.push(`<text x="${f1(x(g.x) + 3)}" y="${H - M.bottom - 6}" fill="#555" font-size="11">${escapeXml(g.label)}</text>`);
    }
  }
  const legendWidth = 48 + 7 * Math.max(0, ...c.series.map((s) => s.name.length));
  out.push(`<rect x="${M.left + 4}" y="${M.top + 2}" width="${legendWidth}" height="${c.series.length * 16 + 6}" fill="white" fill-opacity="0.85"/>`);
  c.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = s.points.filter(([px, py]) => Number.isFinite(px) && Number.isFinite(py) && (!c.xLog || px > 0) && (!c.yLog || py > 0));
    if (pts.length > 1) {
      const d = pts.map(([px, py], k) => `${k ? 'L' : 'M'}${f1(x(px))},${f1(y(py))}`).join(' ');
      out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    }
    for (const [px, py] of pts) out.push(`<circle cx="${f1(x(px))}" cy="${f1(y(py))}" r="3" fill="${color}"/>`);
    const ly = M.top + 14 + i * 16;
    out.push(`<line x1="${M.left + 10}" x2="${M.left + 34}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 3"' : ''}/>`);
    out.push(`<text x="${M.left + 40}" y="${ly}">${escapeXml(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

export function barChart(c: BarChart): string {
  const ya = axis(c.bars.map((b) => b.value), !!c.yLog);
  const y = scale(ya, H - M.bottom, M.top);
  const out = frame(c.title, '', c.yLabel);
  out.push(...yAxisLines(ya, y));
  const slot = (W - M.left - M.right) / Math.max(1, c.bars.length);
  c.bars.forEach((b, i) => {
    const x0 = M.left + i * slot + slot * 0.15;
    const top = Number.isFinite(b.value) && (!c.yLog || b.value > 0) ? y(b.value) : H - M.bottom;
    const cx = x0 + slot * 0.35;
    out.push(`<rect x="${f1(x0)}" y="${f1(top)}" width="${f1(slot * 0.7)}" height="${f1(H - M.bottom - top)}" fill="${COLORS[i % COLORS.length]}"/>`);
    out.push(`<text x="${f1(cx)}" y="${f1(top - 5)}" text-anchor="middle">${escapeXml(b.note ?? tickLabel(b.value))}</text>`);
    out.push(`<text x="${f1(cx)}" y="${H - M.bottom + 16}" text-anchor="middle">${escapeXml(b.label)}</text>`);
  });
  out.push(`<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#444"/>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
