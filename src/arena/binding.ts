// Where this rank runs. A rank the launcher bound to one CPU keeps it; an
// unbound rank pins itself from its local rank and the topology (physical
// cores before hyperthreads, inside its cpuset) unless binding is off.
import { cpus } from 'node:os';
import { addon } from '../native/addon.js';
import { readEnv, type Env } from '../env.js';

export type BindMode = 'auto' | 'none';
export type BoundBy = 'launcher' | 'self' | 'none';

export interface Binding {
  /** The CPU this rank is pinned to, or null when unbound. */
  core: number | null;
  /** CPUs the rank may run on once bound. */
  cpus: number[];
  /** NUMA node of `core` (of the first allowed CPU when unbound). */
  numaNode: number;
  boundBy: BoundBy;
  /** More ranks on this node than CPUs to give them. */
  oversubscribed: boolean;
}

/** The order in which ranks of a node take CPUs: first thread of every core, then the second... */
export function cpuOrder(cores: number[][]): number[] {
  const order: number[] = [];
  const depth = Math.max(0, ...cores.map((c) => c.length));
  for (let k = 0; k < depth; k++) for (const core of cores) if (core[k] !== undefined) order.push(core[k]!);
  return order;
}

/** Decides and applies this rank's binding to a core. */
export function bindRank(localRank: number, localSize: number, mode: BindMode = bindModeFromEnv()): Binding {
  const native = addon();
  const allowed = native.allowedCpus();
  if (allowed.length === 1) {
    // Bound already: our own cpuset says nothing about the node; count its CPUs
    // (start() refines this by comparing the cores of the node's ranks).
    const oversubscribed = localSize > cpus().length;
    const core = allowed[0]!;
    return { core, cpus: allowed, numaNode: native.numaNodeOfCpu(core), boundBy: 'launcher', oversubscribed };
  }
  const order = cpuOrder(native.cores());
  const oversubscribed = localSize > order.length;
  if (mode === 'none' || allowed.length === 0) {
    return { core: null, cpus: allowed, numaNode: allowed.length ? native.numaNodeOfCpu(allowed[0]!) : 0, boundBy: 'none', oversubscribed };
  }
  const core = order[localRank % order.length]!;
  native.pinToCpu(core);
  return { core, cpus: [core], numaNode: native.numaNodeOfCpu(core), boundBy: 'self', oversubscribed };
}

/** TASKLOAF_BIND=none turns self-pinning off (`taskloaf run --bind none` sets it). */
export function bindModeFromEnv(env: Env = process.env): BindMode {
  return readEnv('TASKLOAF_BIND', env);
}
