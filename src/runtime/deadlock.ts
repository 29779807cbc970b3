// Deadlock detection. While main waits, rank 0 asks every rank (Probe) once a
// second — four times per window if TASKLOAF_DEADLOCK_SECONDS is under 4 —
// whether it is quiet: no task queued, no message waiting to leave,
// no timer, socket or other event source of the program's own, and none of
// its progress counters moved since the last round. Quiet everywhere for
// TASKLOAF_DEADLOCK_SECONDS (default 10) in a row means nothing can ever
// settle what main waits for: the job ends with a report of the pending tasks,
// where they run, and what each rank waits for, instead of hanging until the
// walltime. TASKLOAF_DEADLOCK_SECONDS=0 turns it off.
import { readEnv } from '../env.js';

/** One rank's answer to a probe. */
export interface QuietReport {
  rank: number;
  host: string;
  /** Sum of the progress counters (tasks run, calls and results, Ref messages). */
  signature: number;
  /** Tasks queued here, and messages not yet gone. */
  queued: number;
  unsent: number;
  /** Event sources of the program's own (timers, sockets, files...), by type. */
  external: string[];
  /** Tasks started here that are suspended in an await. */
  suspended: { task: string; id: number; for: number }[];
  /** Futures this rank waits for. */
  waiting: { task: string; id: number; target?: number }[];
}

export function deadlockSeconds(env: NodeJS.ProcessEnv = process.env): number {
  return readEnv('TASKLOAF_DEADLOCK_SECONDS', env);
}

/** Counts of each resource type in `process.getActiveResourcesInfo()`. */
export function resourceCounts(list: string[] = process.getActiveResourcesInfo()): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of list) m.set(r, (m.get(r) ?? 0) + 1);
  return m;
}

/** What is active now beyond `baseline` and the runtime's own handles. */
export function externalResources(baseline: Map<string, number>, own: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [type, n] of resourceCounts()) {
    const extra = n - (baseline.get(type) ?? 0) - (own.get(type) ?? 0);
    for (let i = 0; i < extra; i++) out.push(type);
  }
  return out;
}

export function quiet(r: QuietReport): boolean {
  return r.queued === 0 && r.unsent === 0 && r.external.length === 0;
}

/** The report: what main waits for, and each rank's suspended tasks and waits. */
export function deadlockReport(reports: QuietReport[], seconds: number): string {
  const where = (t?: number) => (t === undefined ? 'anywhere' : `on rank ${t}`);
  const lines = [`taskloaf: deadlock: main is waiting, and for ${seconds} s no rank has had anything to do, no message was in flight and nothing else could wake the program`];
  for (const r of [...reports].sort((a, b) => a.rank - b.rank)) {
    const head = `  rank ${r.rank} (${r.host})`;
    if (r.suspended.length === 0 && r.waiting.length === 0 && r.rank !== 0) continue;
    for (const s of r.suspended) lines.push(`${head}: task '${s.task}' #${s.id} (called by rank ${s.for}) is suspended in an await`);
    const w = r.waiting.map((x) => `'${x.task}' #${x.id} (${where(x.target)})`);
    if (r.rank === 0 && w.length === 0) lines.push(`${head}: main waits for no task: a promise that nothing will settle?`);
    else if (w.length > 0) lines.push(`${head}${r.rank === 0 ? ' main or its tasks' : ''} wait${r.rank === 0 ? '' : 's'} for: ${w.join(', ')}`);
  }
  if (reports.some((r) => r.suspended.length > 0)) {
    lines.push('  (a suspended task awaiting none of these waits for a promise that nothing will settle)');
  }
  return lines.join('\n');
}
