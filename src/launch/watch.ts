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

export interface Watch {
  /** Ranks in the order their processes ended. */
  closed: Closed[];
  close(): void;
}

/** Listens for the job's ranks (launcher side). Never throws: without it the report is just shorter. */
export function watchRanks(job: string): Watch {
  const closed: Closed[] = [];
  let server: Server | null = null;
  try {
    server = createServer((sock: Socket) => {
      let hello = '';
      let who: Closed | null = null;
      sock.on('data', (d) => {
        hello += d.toString('latin1');
        const m = /^start (\d+) (\d+) (\S+)\n/.exec(hello);
        if (m) who = { rank: Number(m[1]), pid: Number(m[2]), host: m[3]! };
      });
      sock.on('error', () => {});
      sock.on('close', () => {
        if (who) closed.push(who);
      });
    });
    server.on('error', () => {});
    server.listen(watchAddress(job));
    server.unref();
  } catch {
    server = null;
  }
  return { closed, close: () => server?.close() };
}

/** Says hello to the launcher (rank side); the connection stays open until the process ends. */
export function joinWatch(job: string, rank: number, pid: number, host: string): void {
  try {
    const sock = createConnection(watchAddress(job));
    sock.on('error', () => {});
    sock.write(`start ${rank} ${pid} ${host}\n`);
    sock.unref();
  } catch {
    /* not started by taskloaf run, or on another node */
  }
}
