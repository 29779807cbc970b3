// Which ranks of a job started (rank, PID, host) and which exited by
// themselves: one line each, appended to a file in the launcher's private
// directory (the one of its ranks' socket, TASKLOAF_WATCH) on its node. The
// launcher reads it to name a dead rank where mpiexec reports only a PID
// (MPICH's Hydra). Ranks on other nodes have no such directory and note
// nothing: the launcher reads only its own node's ledger anyway.
//
// The directory is checked (ours, a directory, 0700) before a rank writes, and
// the file is opened without following a link and checked to be a regular file
// of ours before anything is read or written: nothing another user made is
// written to, blocked on or believed.
import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readSync, rmSync, writeSync } from 'node:fs';
import { constants, hostname } from 'node:os';
import { constants as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Closed } from './watch.js';
import { ownedFile } from '../arena/names.js';

/** More than any job's ranks write; past it the rest is not read. */
const MAX_LEDGER = 4 << 20;

/** The ledger beside the ranks' socket (the path TASKLOAF_WATCH names). */
export function ledgerPath(watchPath: string): string {
  return join(dirname(watchPath), 'ledger');
}

/** Whether `dir` is a directory of this user that no one else may enter. */
export function privateDirectory(dir: string): boolean {
  try {
    const st = lstatSync(dir);
    return st.isDirectory() && st.uid === process.geteuid!() && (st.mode & 0o777) === 0o700;
  } catch {
    return false;
  }
}

/** Opens the ledger when it is a regular file of ours in our private directory; null otherwise. */
function openLedger(path: string, flags: number): number | null {
  if (!privateDirectory(dirname(path))) return null;
  let fd: number;
  try {
    fd = openSync(path, flags | fs.O_NOFOLLOW | fs.O_NONBLOCK, 0o600);
  } catch {
    return null;
  }
  const st = fstatSync(fd);
  if (st.isFile() && st.uid === process.geteuid!()) return fd;
  closeSync(fd);
  return null;
}

// Only a start creates the ledger: an exit noted after a rank that lost its
// launcher removed it must not leave a new one behind.
function note(watchPath: string, line: string, create: boolean): void {
  try {
    const fd = openLedger(ledgerPath(watchPath), fs.O_WRONLY | fs.O_APPEND | (create ? fs.O_CREAT : 0));
    if (fd === null) return;
    try {
      // One short write with O_APPEND: lines from different ranks never interleave.
      writeSync(fd, line + '\n');
    } finally {
      closeSync(fd);
    }
  } catch {
    /* the launcher just has less to say */
  }
}

/** Open MPI's job id, in hex as its file names have it (vader_segment.<host>.<n>.<jobid hex>.<local rank>). */
export function ompiJobOf(env: NodeJS.ProcessEnv = process.env): string | null {
  const ompi = Number(env.OMPI_MCA_ess_base_jobid);
  return Number.isInteger(ompi) && ompi > 0 ? ompi.toString(16) : null;
}

export function noteStart(watchPath: string, rank: number): void {
  const ompi = ompiJobOf();
  note(watchPath, `start ${rank} ${process.pid} ${hostname()}${ompi ? ` ${ompi}` : ''}`, true);
}

/** The rank ends by itself: at exit, before an abort, or in a signal's handler (`signal`). */
export function noteExit(watchPath: string, rank: number, signal: string | null = null): void {
  note(watchPath, `exit ${rank}${signal ? ` ${signal}` : ''}`, false);
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

export function readLedger(watchPath: string): LedgerRank[] {
  let text = '';
  try {
    const fd = openLedger(ledgerPath(watchPath), fs.O_RDONLY);
    if (fd === null) return [];
    try {
      const buf = Buffer.alloc(MAX_LEDGER);
      let n = 0;
      for (let got = 1; got > 0 && n < buf.length; n += got) got = readSync(fd, buf, n, buf.length - n, null);
      text = buf.toString('utf8', 0, n);
    } finally {
      closeSync(fd);
    }
  } catch {
    return [];
  }
  const ranks = new Map<number, LedgerRank>();
  for (const line of text.split('\n')) {
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
 * stay in /dev/shm for the next user of the node. Only the Open MPI job ids
 * given (what this launcher's own ranks reported), and only files of ours.
 */
export function sweepMpiFiles(ompiJobs: Iterable<string | undefined | null>, dir = '/dev/shm'): number {
  const jobs = new Set([...ompiJobs].filter((j): j is string => !!j && /^[0-9a-f]+$/.test(j)));
  if (jobs.size === 0) return 0;
  let n = 0;
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const m = /^vader_segment\..+\.([0-9a-f]+)\.\d+$/.exec(name);
    if (!m || !jobs.has(m[1]!) || !ownedFile(dir, name)) continue;
    try {
      rmSync(join(dir, name));
      n++;
    } catch {
      /* gone meanwhile */
    }
  }
  return n;
}
