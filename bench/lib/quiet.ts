// A quiet start for every measurement: the processes of the system measured
// before are gone (found by the process list, not trusted to have shut down)
// and the machine's CPUs have settled, or a time-out passed and the record
// says so. Every process a measurement starts carries a token in its
// environment (TASKLOAF_BENCH_RUN), which its children inherit: Dask's nannies
// and workers, mpirun's ranks, a resource tracker left behind.
import { readdirSync, readFileSync } from 'node:fs';

/** The environment variable that marks every process a measurement started. */
export const TOKEN_VAR = 'TASKLOAF_BENCH_RUN';

export interface QuietOptions {
  /** Busy share of all CPUs (0–1) under which the machine counts as settled. */
  busyBelow: number;
  /** Length of one CPU sample, ms. */
  windowMs: number;
  /** How long to wait in all, ms; then leftovers are killed and the measurement goes on. */
  timeoutMs: number;
}

export const QUIET_DEFAULTS: QuietOptions = { busyBelow: 0.15, windowMs: 250, timeoutMs: 30_000 };

/** What was found and done before one measurement started. */
export interface QuietRecord {
  before: string;
  /** Processes of earlier measurements still alive when the wait began. */
  leftovers: string[];
  /** Of those, how many had to be killed (the rest ended by themselves). */
  killed: number;
  /** Busy share of the CPUs in the last sample before measuring. */
  busy: number;
  /** False when the CPUs were still busier than the threshold at the time-out. */
  settled: boolean;
  waitedMs: number;
}

/** Every quiet start of this process, for the results file. */
export const quietLog: QuietRecord[] = [];

let enabled = false;
/** Benchmark runners turn quiet starts on (benchOptions); a test that starts a bench program for its output does not wait. */
export function enableQuietStarts(): void {
  enabled = true;
}
export function quietStartsEnabled(): boolean {
  return enabled;
}

interface Proc {
  pid: number;
  command: string;
  /** The pid of the benchmark process that started it (the token's first part). */
  owner: number;
}

function ancestors(): Set<number> {
  const out = new Set<number>([process.pid]);
  let pid = process.pid;
  while (pid > 1) {
    try {
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.add(pid);
    } catch {
      break;
    }
  }
  return out;
}

/** This user's processes (not this one or its ancestors) whose environment carries the token. */
export function markedProcesses(): Proc[] {
  const uid = process.getuid?.() ?? -1;
  const skip = ancestors();
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (skip.has(pid)) continue;
    try {
      const owner = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (!owner || Number(owner[1]) !== uid) continue;
      const env = readFileSync(`/proc/${pid}/environ`, 'latin1');
      const token = env.split('\0').find((kv) => kv.startsWith(`${TOKEN_VAR}=`));
      if (!token) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim();
      // A zombie has no command line and holds nothing.
      if (command) out.push({ pid, command, owner: parseInt(token.slice(TOKEN_VAR.length + 1), 10) });
    } catch {
      /* gone meanwhile, or not ours to read */
    }
  }
  return out;
}

function cpuTimes(): { busy: number; total: number } {
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest is counted in user)
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - f[3]! - f[4]!, total };
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Busy share of all CPUs over one window (steal counts as busy: another guest had the core). */
export function busyShare(windowMs: number): number {
  const a = cpuTimes();
  sleep(windowMs);
  const b = cpuTimes();
  return b.total > a.total ? (b.busy - a.busy) / (b.total - a.total) : 0;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return state.slice(state.lastIndexOf(')') + 2, state.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function signal(pids: number[], sig: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  }
}

/**
 * Waits until no marked process is left and the CPUs are settled, up to the
 * time-out; marked processes still alive then are ended (SIGTERM, then
 * SIGKILL). Logs and returns what it found.
 */
export function quietStart(before: string, o: QuietOptions = QUIET_DEFAULTS): QuietRecord {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const seen = new Map<number, string>();
  let killed = 0;
  // Leftovers first: a process still shutting down is still using a core.
  for (let left = markedProcesses(); left.length; left = markedProcesses()) {
    for (const p of left) if (!seen.has(p.pid)) seen.set(p.pid, p.command);
    if (elapsed() < o.timeoutMs) {
      sleep(o.windowMs);
      continue;
    }
    // Only what a finished measurement left: another benchmark run's live
    // measurement (its starter still running) is not ours to end.
    const pids = left.filter((p) => p.owner === process.pid || !alive(p.owner)).map((p) => p.pid);
    signal(pids, 'SIGTERM');
    for (let i = 0; i < 40 && pids.some(alive); i++) sleep(50);
    signal(pids.filter(alive), 'SIGKILL');
    for (let i = 0; i < 40 && pids.some(alive); i++) sleep(50);
    killed = pids.length;
    break;
  }
  // Then the CPUs: at least one sample, more until settled or out of time.
  let busy = busyShare(o.windowMs);
  while (busy >= o.busyBelow && elapsed() < o.timeoutMs) busy = busyShare(o.windowMs);
  const settled = busy < o.busyBelow;
  const record: QuietRecord = { before, leftovers: [...seen.values()], killed, busy, settled, waitedMs: Math.round(elapsed()) };
  quietLog.push(record);
  if (!settled || killed) {
    process.stderr.write(
      `bench: before ${before}: ${killed ? `${killed} leftover process(es) killed after ${o.timeoutMs / 1000} s; ` : ''}${settled ? '' : `CPUs still ${(busy * 100).toFixed(0)}% busy after ${o.timeoutMs / 1000} s (threshold ${(o.busyBelow * 100).toFixed(0)}%); `}measuring anyway\n`,
    );
  }
  return record;
}

/** A new token for one measurement's environment. */
export function newToken(): string {
  return `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** The summary stored with a benchmark's results. */
export function quietSummary(log: QuietRecord[] = quietLog, o: QuietOptions = QUIET_DEFAULTS) {
  const waits = log.map((r) => r.waitedMs).sort((a, b) => a - b);
  return {
    threshold: { busyBelow: o.busyBelow, windowMs: o.windowMs, timeoutMs: o.timeoutMs },
    measurements: log.length,
    unsettled: log.filter((r) => !r.settled).length,
    withLeftovers: log.filter((r) => r.leftovers.length).length,
    killed: log.reduce((a, r) => a + r.killed, 0),
    waitedMsMax: waits.length ? waits[waits.length - 1]! : 0,
    waitedMsMedian: waits.length ? waits[Math.floor(waits.length / 2)]! : 0,
    log,
  };
}

/** One sentence for a benchmark's table. */
export function quietSentence(log: QuietRecord[] = quietLog, o: QuietOptions = QUIET_DEFAULTS): string {
  const s = quietSummary(log, o);
  if (s.measurements === 0) return '';
  const parts = [
    `Quiet start: each of the ${s.measurements} measurements began once no process of the one before was left and the CPUs were under ${(o.busyBelow * 100).toFixed(0)}% busy (waited ${(s.waitedMsMedian / 1000).toFixed(1)} s median, ${(s.waitedMsMax / 1000).toFixed(1)} s at most)`,
  ];
  if (s.withLeftovers) parts.push(`${s.withLeftovers} found processes of the one before still running${s.killed ? ` (${s.killed} killed after ${o.timeoutMs / 1000} s)` : ' and waited for them to end'}`);
  if (s.unsettled) parts.push(`**${s.unsettled} started on a machine still busier than that after ${o.timeoutMs / 1000} s**`);
  return parts.join('; ') + '.';
}
