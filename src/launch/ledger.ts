// Which ranks of a job started (rank, PID, host) and which exited by
// themselves: one line each, appended to a per-job file in /dev/shm on the
// rank's node. The launcher reads it to name a dead rank where mpiexec reports
// only a PID (MPICH's Hydra).
import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { constants, hostname } from 'node:os';
import type { Closed } from './watch.js';

/** Not under the job's segment prefix (`taskloaf-<job>-`): the arena's own lists stay its own. */
export function ledgerPath(job: string): string {
  return `/dev/shm/taskloaf-${job}.ledger`;
}

export function removeLedger(job: string): void {
  rmSync(ledgerPath(job), { force: true });
}

function note(job: string, line: string): void {
  try {
    // One short write with O_APPEND: lines from different ranks never interleave.
    appendFileSync(ledgerPath(job), line + '\n');
  } catch {
    /* no /dev/shm: the launcher just has less to say */
  }
}

export function noteStart(job: string, rank: number): void {
  // Open MPI's job id names its shared-memory files (vader_segment.<host>.<n>.<jobid hex>.<local rank>).
  const ompi = Number(process.env.OMPI_MCA_ess_base_jobid);
  note(job, `start ${rank} ${process.pid} ${hostname()}${Number.isInteger(ompi) && ompi > 0 ? ` ${ompi.toString(16)}` : ''}`);
}

/** The rank ends by itself: at exit, before an abort, or in a signal's handler (`signal`). */
export function noteExit(job: string, rank: number, signal: string | null = null): void {
  note(job, `exit ${rank}${signal ? ` ${signal}` : ''}`);
}

export interface LedgerRank {
  rank: number;
  pid: number;
  host: string;
  exited: boolean;
  /** The signal it ended on, when its handler ran (SIGTERM...). */
  signal?: string;
  /** Open MPI's job id, in hex as its file names have it. */
  ompiJob?: string;
}

export function readLedger(job: string): LedgerRank[] {
  const path = ledgerPath(job);
  if (!existsSync(path)) return [];
  const ranks = new Map<number, LedgerRank>();
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [kind, r, a, b, c] = line.split(' ');
    const rank = Number(r);
    if (!Number.isInteger(rank)) continue;
    if (kind === 'start') ranks.set(rank, { rank, pid: Number(a), host: b ?? '?', exited: false, ...(c ? { ompiJob: c } : {}) });
    else if (kind === 'exit' && ranks.has(rank)) {
      const r = ranks.get(rank)!;
      r.exited = true;
      if (a) r.signal = a;
    }
  }
  return [...ranks.values()].sort((x, y) => x.rank - y.rank);
}

/** A rank the launcher saw die. */
export interface Death {
  rank: number | null;
  pid: number | null;
  host: string;
  how: string;
}

/**
 * Deaths in what mpiexec printed: Open MPI names the rank ("process rank 1
 * with PID 0 on node vm exited on signal 9 (Killed)"), MPICH's Hydra the PID
 * ("PID 20013 RUNNING AT vm" ... "EXIT CODE: 9"), which the ledger turns into a rank.
 */
export function deathsIn(text: string, ledger: LedgerRank[]): Death[] {
  const out: Death[] = [];
  for (const m of text.matchAll(/process rank (\d+) with PID (\d+) on node (\S+) exited on signal (\d+)(?: \(([^)]*)\))?/g)) {
    const pid = ledger.find((r) => r.rank === Number(m[1]))?.pid ?? null;
    out.push({ rank: Number(m[1]), pid, host: m[3]!, how: `signal ${m[4]}${m[5] ? ` (${m[5]})` : ''}` });
  }
  for (const m of text.matchAll(/PID (\d+) RUNNING AT (\S+)\s*\n=\s*EXIT CODE: (\d+)(?:[\s\S]*?EXIT STRING: ([^\n]*?) \(signal (\d+)\))?/g)) {
    const pid = Number(m[1]);
    // Hydra prints a signal's number as the exit code; its exit string says which it was.
    const how = m[5] ? `signal ${m[5]} (${m[4]})` : `exit code ${m[3]}`;
    out.push({ rank: ledger.find((r) => r.pid === pid)?.rank ?? null, pid, host: m[2]!, how });
  }
  // Open MPI, a rank that exited non-zero by itself: "Process name: [[1234,1],3]\n  Exit code: 143".
  for (const m of text.matchAll(/Process name: \[\[\d+,\d+\],(\d+)\]\s*\n\s*Exit code:\s*(\d+)/g)) {
    const r = ledger.find((x) => x.rank === Number(m[1]));
    out.push({ rank: Number(m[1]), pid: r?.pid ?? null, host: r?.host ?? '?', how: `exit code ${m[2]}` });
  }
  return out;
}

/** One line per death: the rank and host first, as the report of a failed job should start. */
export function deathLines(deaths: Death[]): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const d of deaths) {
    const what = d.how.startsWith('exit code') ? `ended with ${d.how}` : `died: ${d.how}`;
    const line = `taskloaf: rank ${d.rank ?? '?'} on ${d.host}${d.pid ? ` (pid ${d.pid})` : ''} ${what}; the job was ended`;
    if (!seen.has(line)) lines.push(line);
    seen.add(line);
  }
  return lines;
}

/**
 * The rank that ended the job: the first whose process went, in the order the
 * watch saw. If it was killed, crashed or ended by a signal's handler, name it
 * (the launcher's notice says how, when it names that rank); if it ended by
 * itself, it has said why. Without a watch (ranks on other nodes), the notices.
 */
export function firstDeath(closed: Closed[], ledger: LedgerRank[], notices: Death[]): Death[] {
  const first = closed[0];
  if (!first) return notices;
  const l = ledger.find((r) => r.rank === first.rank);
  // It ended by itself (an abort, an exit): it said why on its own.
  if (l?.exited && !l.signal) return [];
  const n = notices.find((d) => d.rank === first.rank);
  const sig = l?.signal ? constants.signals[l.signal as keyof typeof constants.signals] : undefined;
  const how = n ? n.how : l?.signal ? `signal ${sig ?? '?'} (${l.signal})` : 'killed by a signal or crashed';
  return [{ rank: first.rank, pid: first.pid, host: first.host, how }];
}

/**
 * Open MPI's shared-memory files of this job on this node. Its ranks remove
 * them at a clean end; a rank killed outright cannot, and the files would
 * stay in /dev/shm for the next user of the node.
 */
export function sweepMpiFiles(ledger: LedgerRank[], dir = '/dev/shm'): number {
  const jobs = new Set(ledger.map((r) => r.ompiJob).filter((j): j is string => !!j && /^[0-9a-f]+$/.test(j)));
  if (jobs.size === 0) return 0;
  let n = 0;
  try {
    for (const name of readdirSync(dir)) {
      const m = /^vader_segment\..+\.([0-9a-f]+)\.\d+$/.exec(name);
      if (m && jobs.has(m[1]!)) {
        rmSync(`${dir}/${name}`, { force: true });
        n++;
      }
    }
  } catch {
    /* nothing to sweep */
  }
  return n;
}
