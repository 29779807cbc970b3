// The launcher's view of which rank went first. Every rank of this node holds
// a Unix socket to `taskloaf run`; the kernel closes it the moment the process
// ends, however it ends, so the order of the closes is the order of the
// deaths — even when mpiexec then kills the rest with SIGKILL and names the
// wrong process (MPICH's Hydra).
//
// On a shared node the channel is private: a pathname socket in a fresh 0700
// directory (an abstract name would be listed to, reachable and squattable by
// every user), and a random token the ranks get in their environment and must
// say first. A rank is signalled only while its process still carries that
// token in its own environment, which only its user can read.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { LaunchError } from '../errors.js';

/** Longest line a rank sends (a hello with a host name); past it the connection is dropped. */
export const MAX_LINE = 512;

/** sun_path holds 108 bytes with its NUL; a longer TMPDIR falls back to /tmp. */
const MAX_SOCKET_PATH = 100;

export interface Closed {
  rank: number;
  pid: number;
  host: string;
}

/** A rank's messages after its hello: `warned` when its time-limit hooks have run. */
export type RankEvent = 'warned';

export interface Watch {
  /** The socket's path and the token, for the ranks' environment. */
  env: { TASKLOAF_WATCH: string; TASKLOAF_WATCH_TOKEN: string };
  /** The socket's path, in the private directory that also holds the ledger. */
  path: string;
  /** Resolves once listening; rejects with a LaunchError (ERR_WATCH_LISTEN) when it cannot. */
  listening: Promise<void>;
  /** Ranks in the order their processes ended. */
  closed: Closed[];
  /** Ranks connected now (those that said a valid hello). */
  connected(): number;
  /** The ranks connected now (this node's). */
  ranks(): Closed[];
  /** Sends SIGUSR2 to a rank's process if it is still one of this run's; false if not. */
  tell(rank: Closed): boolean;
  /** Called once per rank for each event it sends. */
  onEvent: ((rank: number, event: RankEvent) => void) | null;
  /** Called when a rank says hello (its SIGUSR2 listener is in place by then). */
  onHello: ((rank: Closed) => void) | null;
  close(): void;
}

/** Whether process `pid` was started with this run's token in its environment. */
export function carriesToken(pid: number, token: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`TASKLOAF_WATCH_TOKEN=${token}`);
  } catch {
    return false;
  }
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a, 'latin1');
  const y = Buffer.from(b, 'latin1');
  return x.length === y.length && timingSafeEqual(x, y);
}

function privateDir(job: string): string {
  const prefix = `taskloaf-${job.replace(/[^A-Za-z0-9.-]/g, '_').slice(0, 32)}-`;
  const base = join(tmpdir(), prefix).length + 12 <= MAX_SOCKET_PATH ? tmpdir() : '/tmp';
  // mkdtemp: a new directory of a random name, mode 0700, never one that existed.
  return mkdtempSync(join(base, prefix));
}

/** Listens for the job's ranks (launcher side). */
export function watchRanks(job: string): Watch {
  const closed: Closed[] = [];
  const live = new Map<Socket, Closed>();
  const warned = new Set<number>();
  const token = randomBytes(32).toString('hex');
  let dir: string;
  try {
    dir = privateDir(job);
  } catch (err) {
    throw new LaunchError('ERR_WATCH_LISTEN', `taskloaf run cannot make a private directory for its ranks' socket in ${tmpdir()}: ${(err as Error).message}`);
  }
  const path = join(dir, 'watch');
  let server: Server | null = null;
  const watch: Watch = {
    env: { TASKLOAF_WATCH: path, TASKLOAF_WATCH_TOKEN: token },
    path,
    listening: Promise.resolve(),
    closed,
    connected: () => live.size,
    ranks: () => [...live.values()],
    tell: (rank) => {
      if (!carriesToken(rank.pid, token)) return false;
      try {
        process.kill(rank.pid, 'SIGUSR2');
        return true;
      } catch {
        return false; // already gone
      }
    },
    onEvent: null,
    onHello: null,
    close: () => {
      server?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  server = createServer((sock: Socket) => {
    let buf = '';
    let who: Closed | null = null;
    sock.on('data', (d) => {
      buf += d.toString('latin1');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!who) {
          const m = /^hello (\S+) (\d+) (\d+) (\S+)$/.exec(line);
          // Not one of this run's ranks: nothing it says is heard.
          if (!m || !sameToken(m[1]!, token)) return void sock.destroy();
          who = { rank: Number(m[2]), pid: Number(m[3]), host: m[4]! };
          live.set(sock, who);
          watch.onHello?.(who);
        } else if (line === 'warned' && !warned.has(who.rank)) {
          warned.add(who.rank);
          watch.onEvent?.(who.rank, 'warned');
        }
      }
      if (buf.length > MAX_LINE) sock.destroy();
    });
    sock.on('error', () => {});
    sock.on('close', () => {
      live.delete(sock);
      if (who) closed.push(who);
    });
  });
  watch.listening = new Promise((resolveListen, reject) => {
    server!.once('error', (err) => {
      watch.close();
      reject(new LaunchError('ERR_WATCH_LISTEN', `taskloaf run cannot listen for its ranks on ${path}: ${err.message}`));
    });
    server!.listen(path, () => {
      server!.on('error', () => {});
      resolveListen();
    });
  });
  server.unref();
  return watch;
}

/**
 * Says hello to the launcher (rank side); the connection stays open until the
 * process ends. `onLost` is called if the launcher goes first (killed with
 * SIGKILL, say): nobody is left to end the job, so the rank ends itself.
 */
export function joinWatch(path: string, token: string, rank: number, pid: number, host: string, onLost?: () => void): { send(event: RankEvent): void } {
  let sock: Socket | null = null;
  try {
    sock = createConnection(path);
    let joined = false;
    sock.on('connect', () => (joined = true));
    sock.on('error', () => {});
    // On another node than the launcher the socket is not there: nothing was lost.
    sock.on('close', () => {
      if (!joined) return;
      try {
        // First: what the rank does about it may use the directory.
        onLost?.();
      } finally {
        // A launcher killed outright left its directory behind.
        try {
          rmSync(path, { force: true });
          rmdirSync(dirname(path));
        } catch {
          /* another rank removed it first, or its ledger is not gone yet */
        }
      }
    });
    sock.write(`hello ${token} ${rank} ${pid} ${host}\n`);
    sock.unref();
  } catch {
    /* no socket to join */
  }
  return { send: (event) => void sock?.write(`${event}\n`) };
}
