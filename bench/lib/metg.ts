// Task Bench's measures. For one run of a graph:
//   granularity = wall time × cores / tasks (the average task duration the
//                 system sustained, overhead included)
//   efficiency  = useful work / (wall time × cores), the useful work being
//                 tasks × iterations × the kernel's time per iteration on one
//                 core with nothing else going on (measured by each system
//                 for its own kernel, so every system is held to its own peak)
// METG(50%) is the smallest granularity at which efficiency is still ≥ 50%.

export interface GraphRun {
  iterations: number;
  tasks: number;
  wallSeconds: number;
}

export interface Efficiency {
  granularityUs: number;
  efficiency: number;
}

export function efficiency(run: GraphRun, cores: number, nsPerIteration: number): Efficiency {
  const wallNs = run.wallSeconds * 1e9;
  return {
    granularityUs: (wallNs * cores) / run.tasks / 1e3,
    efficiency: (run.tasks * run.iterations * nsPerIteration) / (wallNs * cores),
  };
}

export interface Metg {
  /** Microseconds; undefined when no run reached the threshold. */
  us?: number;
  /** 'interpolated' between the last run above and the first below; 'upper' when even the finest run stayed above. */
  kind: 'interpolated' | 'upper' | 'not reached';
}

/**
 * Walks from the coarsest run towards finer ones and stops at the first that
 * falls below the threshold; the METG lies between it and the run before,
 * interpolated on a log scale of granularity.
 */
export function metg(points: Efficiency[], threshold = 0.5): Metg {
  const pts = points.filter((p) => Number.isFinite(p.granularityUs) && p.granularityUs > 0).sort((a, b) => b.granularityUs - a.granularityUs);
  if (pts.length === 0 || pts[0]!.efficiency < threshold) return { kind: 'not reached' };
  for (let k = 1; k < pts.length; k++) {
    const above = pts[k - 1]!;
    const below = pts[k]!;
    if (below.efficiency >= threshold) continue;
    const f = (above.efficiency - threshold) / (above.efficiency - below.efficiency);
    const lg = Math.log10(above.granularityUs) + f * (Math.log10(below.granularityUs) - Math.log10(above.granularityUs));
    return { us: 10 ** lg, kind: 'interpolated' };
  }
  return { us: pts[pts.length - 1]!.granularityUs, kind: 'upper' };
}
