// What a rank knows about itself and the job: filled in by start().
import { hostname } from 'node:os';
import { init, world as worldComm } from '../native/mpi.js';
import { addon } from '../native/addon.js';
import { bindRank, type BoundBy, type Binding } from '../arena/binding.js';
import { jobIdFromEnv, newJobId, newRunId } from '../arena/names.js';
import { readEnv } from '../env.js';
import { timeLimitReady } from './time-limit.js';

export interface World {
  rank: number;
  size: number;
  /** Rank among the ranks of this node, and how many there are. */
  localRank: number;
  localSize: number;
  /** Index of this node among the job's nodes (0-based). */
  node: number;
  nodes: number;
  host: string;
  /** The CPU this rank is pinned to (null when unbound), and its NUMA node. */
  core: number | null;
  numaNode: number;
  boundBy: BoundBy;
  oversubscribed: boolean;
  /** The job's id (TASKLOAF_JOB_ID, the scheduler's, else one rank 0 made). */
  job: string;
  /** This run's random id: with the job id it names the shared segments, so two runs never meet. */
  run: string;
  /** The node index of every rank. */
  nodeOf: readonly number[];
}

export const world: World = {
  rank: 0,
  size: 1,
  localRank: 0,
  localSize: 1,
  node: 0,
  nodes: 1,
  host: hostname(),
  core: null,
  numaNode: 0,
  boundBy: 'none',
  oversubscribed: false,
  job: '',
  run: '',
  nodeOf: [0],
};

let started = false;
// Process-wide, not module-wide: the preload and the program may load two
// copies of this module (a build and the sources), and must agree.
const EARLY = Symbol.for('taskloaf.earlyBinding');
const store = globalThis as { [EARLY]?: Binding };

/** The launcher's local rank and size, known before MPI starts. */
export function launcherLocal(env: NodeJS.ProcessEnv = process.env): { localRank: number; localSize: number } | null {
  const r = env.OMPI_COMM_WORLD_LOCAL_RANK ?? env.MPI_LOCALRANKID;
  const s = env.OMPI_COMM_WORLD_LOCAL_SIZE ?? env.MPI_LOCALNRANKS;
  return r !== undefined && s !== undefined ? { localRank: Number(r), localSize: Number(s) } : null;
}

/** Pins the rank as early as possible (before MPI), when the launcher says where it is. */
export function bindEarly(): Binding | undefined {
  const local = launcherLocal();
  if (!store[EARLY] && local) store[EARLY] = bindRank(local.localRank, local.localSize);
  return store[EARLY];
}

/** Starts MPI, binds the rank to its core and fills in `world`. Idempotent. */
export function start(): World {
  if (started) return world;
  init();
  const comm = worldComm();
  const simulated = simulatedNodes(comm.size);
  // Simulated nodes: contiguous groups of ranks treated as different nodes,
  // so the cross-node paths run on one machine (with --tcp for the network).
  const local = simulated ? comm.split(Math.floor(comm.rank / Math.ceil(comm.size / simulated)), comm.rank) : comm.splitShared();
  // Node index: ranks with the same lowest world rank share a node.
  const leader = local.allreduce(new Int32Array([comm.rank]), 'min')[0]!;
  const leaders = comm.allgather(new Int32Array([leader]), new Int32Array(comm.size));
  const distinct = [...new Set(leaders)].sort((a, b) => a - b);
  const binding = store[EARLY] ?? bindRank(local.rank, local.size);
  // MPI's threads exist by now, V8's since start-up.
  const nice = helperNice();
  if (binding.core !== null && nice > 0) addon().niceHelpers(nice);
  // Oversubscribed when two ranks of this node hold the same core.
  const cores = local.allgather(new Int32Array([binding.core ?? -1]), new Int32Array(local.size));
  const shared = binding.core !== null && cores.filter((c) => c === binding.core).length > 1;
  Object.assign(world, {
    rank: comm.rank,
    size: comm.size,
    localRank: local.rank,
    localSize: local.size,
    node: distinct.indexOf(leader),
    nodes: distinct.length,
    core: binding.core,
    numaNode: binding.numaNode,
    boundBy: binding.boundBy,
    oversubscribed: binding.core !== null ? shared : binding.oversubscribed,
    ...agreeOnJob(comm),
    nodeOf: Array.from(leaders, (l) => distinct.indexOf(l)),
  });
  local.free();
  started = true;
  timeLimitReady();
  return world;
}

// The launcher's job and run ids when there are some; else rank 0's fresh
// ones, broadcast (every rank has the same environment, so all of them ask).
function agreeOnJob(comm: ReturnType<typeof worldComm>): { job: string; run: string } {
  const job = jobIdFromEnv();
  const run = readEnv('TASKLOAF_RUN_ID');
  if (job !== null && run !== null) return { job, run };
  // Only fresh ids travel: both short, so the buffer always holds them.
  const buf = new Uint8Array(128);
  if (comm.rank === 0) buf.set(new TextEncoder().encode(`${run ?? newRunId()} ${job === null ? newJobId() : ''}`));
  comm.bcast(buf, 0);
  const n = buf.indexOf(0);
  const [fresh, freshJob] = new TextDecoder().decode(buf.subarray(0, n < 0 ? buf.length : n)).split(' ');
  return { job: job ?? freshJob!, run: fresh! };
}

/** TASKLOAF_NODES=k splits this machine's ranks into k simulated nodes; null when unset. */
export function simulatedNodes(size: number, env: NodeJS.ProcessEnv = process.env): number | null {
  const k = readEnv('TASKLOAF_NODES', env);
  return k === null ? null : Math.min(k, size);
}

/**
 * TASKLOAF_HELPER_NICE (0-19, default 0: left alone): the nice value of a
 * bound rank's other threads, which share its core. At 0 a V8 helper that
 * wakes (garbage collection work, a compile) takes the core from the event
 * loop for up to a scheduler slice, a millisecond or more; at 19 it runs
 * while the loop waits, but so do V8's compiles, and a loop that never waits
 * runs unoptimized code for longer (the no-op round trip doubles).
 */
export function helperNice(env: NodeJS.ProcessEnv = process.env): number {
  return readEnv('TASKLOAF_HELPER_NICE', env);
}

/** One line for --report-bindings. */
export function bindingLine(rank: number | string, p: Binding, host = hostname()): string {
  const how = { launcher: 'bound by the launcher', self: 'pinned by taskloaf', none: 'not bound' }[p.boundBy];
  const where = p.core === null ? `cpus ${p.cpus.join(',')}` : `core ${p.core}`;
  return `taskloaf: rank ${rank} host ${host} ${where} numa ${p.numaNode} (${how}${p.oversubscribed ? ', oversubscribed' : ''})`;
}
