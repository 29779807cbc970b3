// The launcher's view of which rank went first. Every rank of this node holds
// a Unix socket to `taskloaf run`; the kernel closes it the moment the process
// ends, however it ends, so the order of the closes is the order of the
// deaths — even when mpiexec then kills the rest with SIGKILL and names the
// wrong process (MPICH's Hydra). Abstract socket names: nothing on disk.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export function watchAddress(job: string): string {
  return `\0taskloaf-${job}-watch`;
}

export interface Closed {
  rank: number;
  pid: number;
  host: string;
}

/** A rank's messages after its hello: `warned` when its time-limit hooks have run. */
export type RankEvent = 'warned';

export interface Watch {
  /** Ranks in the order their processes ended. */
  closed: Closed[];
  /** Ranks connected now. */
  connected(): number;
  /** PIDs of the ranks connected now (this node's). */
  pids(): number[];
  /** Called for each event a rank sends. */
  onEvent: ((rank: number, event: RankEvent) => void) | null;
  /** Called when a rank says hello (its SIGUSR2 listener is in place by then). */
  onHello: ((rank: Closed) => void) | null;
  close(): void;
}

/** Listens for the job's ranks (launcher side). Never throws: without it the report is just shorter. */
export function watchRanks(job: string): Watch {
  const closed: Closed[] = [];
  const live = new Map<Socket, Closed | null>();
  let server: Server | null = null;
  const watch: Watch = {
    closed,
    connected: () => live.size,
    pids: () => [...live.values()].filter((w): w is Closed => w !== null).map((w) => w.pid),
    onEvent: null,
    onHello: null,
    close: () => server?.close(),
  };
  try {
    server = createServer((sock: Socket) => {
      let buf = '';
      let who: Closed | null = null;
      live.set(sock, null);
      sock.on('data', (d) => {
        buf += d.toString('latin1');
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          const m = /^start (\d+) (\d+) (\S+)$/.exec(line);
          if (m) {
            live.set(sock, (who = { rank: Number(m[1]), pid: Number(m[2]), host: m[3]! }));
            watch.onHello?.(who);
          } else if (line === 'warned' && who) watch.onEvent?.(who.rank, 'warned');
        }
      });
      sock.on('error', () => {});
      sock.on('close', () => {
        live.delete(sock);
        if (who) closed.push(who);
      });
    });
    server.on('error', () => {});
    server.listen(watchAddress(job));
    server.unref();
  } catch {
    server = null;
  }
  return watch;
}

/**
 * Says hello to the launcher (rank side); the connection stays open until the
 * process ends. `onLost` is called if the launcher goes first (killed with
 * SIGKILL, say): nobody is left to end the job, so the rank ends itself.
 */
export function joinWatch(job: string, rank: number, pid: number, host: string, onLost?: () => void): { send(event: RankEvent): void } {
  let sock: Socket | null = null;
  try {
    sock = createConnection(watchAddress(job));
    let joined = false;
    sock.on('connect', () => (joined = true));
    sock.on('error', () => {});
    // Without a launcher (plain mpiexec) the connection never opens: nothing was lost.
    sock.on('close', () => {
      if (joined) onLost?.();
    });
    sock.write(`start ${rank} ${pid} ${host}\n`);
    sock.unref();
  } catch {
    /* not started by taskloaf run, or on another node */
  }
  return { send: (event) => void sock?.write(`${event}\n`) };
}
