// Finds the mpiexec that belongs to the MPI the addon was built against, and
// builds its command line for a local run. Argument arrays only: nothing
// the user typed passes through a shell.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { LaunchError } from '../errors.js';
import { readEnv } from '../env.js';
import { addon, buildInfo } from '../native/addon.js';

export type MpiFlavor = 'openmpi' | 'mpich';

export interface Launcher {
  path: string;
  flavor: MpiFlavor;
}

/** Tells Open MPI from MPICH (and its derivatives) by a version banner. */
export function flavorOf(banner: string): MpiFlavor | null {
  if (/open mpi|openrte|\bompi\b/i.test(banner)) return 'openmpi';
  if (/mpich|hydra|intel\(r\) mpi|mvapich/i.test(banner)) return 'mpich';
  return null;
}

function which(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, cmd))) return join(dir, cmd);
  }
  return null;
}

function bannerOf(path: string): string {
  try {
    return execFileSync(path, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return `${err.stdout ?? ''}${err.stderr ?? ''}`;
  }
}

/**
 * The launcher for this build: TASKLOAF_MPIEXEC if set, else the one the
 * build recorded, else a flavor-specific name on PATH. It must speak the same
 * MPI as the addon, or ranks would each start as a singleton.
 */
export function findLauncher(): Launcher {
  const wanted = flavorOf(addon().libraryVersion().library);
  const explicit = readEnv('TASKLOAF_MPIEXEC');
  const candidates = explicit
    ? [explicit]
    : [
        buildInfo()?.mpiexec ?? null,
        ...(wanted === 'mpich' ? ['mpiexec.mpich', 'mpiexec.hydra'] : ['mpirun.openmpi', 'mpiexec.openmpi']),
        'mpiexec',
        'mpirun',
      ];
  for (const c of candidates) {
    if (!c) continue;
    const path = c.includes('/') ? (existsSync(c) ? c : null) : which(c);
    if (!path) continue;
    const flavor = flavorOf(bannerOf(path));
    if (flavor && (wanted === null || flavor === wanted)) return { path, flavor };
    if (explicit) {
      throw new LaunchError(
        'ERR_LAUNCHER_MISMATCH',
        `TASKLOAF_MPIEXEC=${explicit} is ${flavor ?? 'an unknown MPI'} but the addon was built against ${wanted}`,
      );
    }
  }
  throw new LaunchError(
    'ERR_NO_LAUNCHER',
    `no mpiexec for ${wanted ?? 'this MPI'} found on PATH; load your MPI module or set TASKLOAF_MPIEXEC`,
  );
}

export interface LocalRunOptions {
  np: number;
  oversubscribe: boolean;
  /** core: the launcher binds; self: taskloaf pins each rank; none: nobody binds. */
  bind: 'core' | 'self' | 'none';
  tcp: boolean;
  /** The rank program: node plus its arguments. */
  program: string[];
  /** Hosts to start on, one line per rank slot (PBS's node file); default: this machine or the allocation. */
  hostfile?: string;
}

export interface Command {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Whether the launcher passes SIGUSR1/2 on to the ranks (Open MPI's mpirun and srun do; Hydra dies of them). */
  forwardsUserSignals?: boolean;
  /** Every rank runs on this machine, this many of them (set by `taskloaf run`). */
  localRanks?: number;
}

/** mpiexec's command line and environment: for this machine, or inside an allocation the launcher reads. */
export function localCommand(launcher: Launcher, opts: LocalRunOptions, baseEnv: NodeJS.ProcessEnv): Command {
  const env: NodeJS.ProcessEnv = { ...baseEnv };
  const args: string[] = [];
  if (launcher.flavor === 'openmpi') {
    if (typeof process.getuid === 'function' && process.getuid() === 0) {
      env.OMPI_ALLOW_RUN_AS_ROOT = '1';
      env.OMPI_ALLOW_RUN_AS_ROOT_CONFIRM = '1';
    }
    args.push('-n', String(opts.np));
    // Unaggregated help messages: the aggregated path garbles the MPI_Abort report.
    args.push('--mca', 'orte_base_help_aggregate', '0');
    if (opts.hostfile) args.push('--hostfile', opts.hostfile);
    if (opts.oversubscribe) args.push('--oversubscribe');
    if (opts.bind === 'core') {
      args.push('--map-by', 'core', '--bind-to', opts.oversubscribe ? 'core:overload-allowed' : 'core');
    } else {
      args.push('--bind-to', 'none');
    }
    // The network path even between ranks of one machine (and no UCX, which
    // would take shared memory regardless of the BTL list).
    if (opts.tcp) args.push('--mca', 'pml', 'ob1', '--mca', 'btl', 'tcp,self');
  } else {
    args.push('-n', String(opts.np));
    if (opts.hostfile) args.push('-f', opts.hostfile);
    args.push('-bind-to', opts.bind === 'core' ? 'core' : 'none');
    if (opts.tcp) {
      env.MPIR_CVAR_NOLOCAL = '1';
      env.MPIR_CVAR_CH3_NOLOCAL = '1';
    }
  }
  args.push(...opts.program);
  return { command: launcher.path, args, env, forwardsUserSignals: launcher.flavor === 'openmpi' };
}
