// `taskloaf doctor`: what this machine and environment give a job, checked one
// by one as a job would meet them, each failure with what to do about it.
import { randomBytes } from 'node:crypto';
import { readFileSync, statfsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { readEnv, variables, type EnvName } from '../env.js';
import { TaskloafError } from '../errors.js';
import { addon, buildDir, buildMismatch, packageRoot } from '../native/addon.js';
import { allowedCpus } from './affinity.js';
import { findLauncher } from './mpiexec.js';
import { detectInstalled, runningJob, schedulers } from '../schedulers/registry.js';

export type Verdict = 'ok' | 'warn' | 'fail';

export interface Check {
  name: string;
  verdict: Verdict;
  detail: string;
  /** What to do, when it is not ok. */
  fix?: string;
}

const GiB = 2 ** 30;

function attempt(name: string, body: () => Omit<Check, 'name'>, fix: (e: Error & { code?: string }) => string): Check {
  try {
    return { name, ...body() };
  } catch (e) {
    const err = e as Error & { code?: string };
    return { name, verdict: 'fail', detail: `${err.message}${err.code ? ` [${err.code}]` : ''}`, fix: fix(err) };
  }
}

/** Whether `version` (x.y.z) is at least the lowest version `range` (">=x.y[.z]") allows. */
export function meetsEngines(version: string, range: string): boolean {
  const want = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(range);
  if (!want) return true;
  const have = version.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const w = Number(want[i + 1] ?? 0);
    if ((have[i] ?? 0) !== w) return (have[i] ?? 0) > w;
  }
  return true;
}

function nodeCheck(): Check {
  const engines = (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { engines?: { node?: string } }).engines?.node ?? '';
  const version = process.versions.node;
  return meetsEngines(version, engines)
    ? { name: 'node', verdict: 'ok', detail: `Node ${version} (taskloaf needs ${engines})` }
    : { name: 'node', verdict: 'fail', detail: `Node ${version}; taskloaf needs ${engines}`, fix: `load a newer Node (module load nodejs, or a binary from nodejs.org) and put it first on PATH` };
}

function environmentCheck(env: NodeJS.ProcessEnv): Check {
  const bad: string[] = [];
  for (const name of Object.keys(variables) as EnvName[]) {
    try {
      readEnv(name, env);
    } catch (e) {
      bad.push((e as Error).message);
    }
  }
  const set = Object.keys(env).filter((k) => k.startsWith('TASKLOAF_')).sort();
  if (bad.length > 0) return { name: 'environment', verdict: 'fail', detail: bad.join('; '), fix: 'correct or unset these variables (README: Environment variables)' };
  return { name: 'environment', verdict: 'ok', detail: set.length > 0 ? `TASKLOAF_* set and valid: ${set.join(', ')}` : 'no TASKLOAF_* variable set' };
}

function addonCheck(): Check {
  return attempt(
    'addon',
    () => {
      const lib = addon().libraryVersion().library.split('\n')[0]!.trim();
      const detail = `${join(buildDir(), 'Release', 'taskloaf.node')} loads; runs with ${lib}`;
      const mismatch = buildMismatch();
      return mismatch.length === 0
        ? { verdict: 'ok', detail }
        : { verdict: 'warn', detail: `${detail}; ${mismatch.join('; ')}`, fix: 'rebuild it for what runs it: npm run build:native (TASKLOAF_BUILD keeps builds apart)' };
    },
    (e) =>
      e.code === 'ERR_ADDON_NOT_BUILT'
        ? `run npm run build:native in ${packageRoot} (with your MPI module loaded)`
        : e.code === 'ERR_INVALID_ENV'
          ? 'correct or unset TASKLOAF_BUILD'
          : 'rebuild it with npm run build:native, with the MPI module loaded that it was built against',
  );
}

function launcherCheck(): Check {
  return attempt(
    'launcher',
    () => {
      const l = findLauncher();
      return { verdict: 'ok', detail: `${l.path} (${l.flavor === 'openmpi' ? 'Open MPI' : 'MPICH'}, as the addon)` };
    },
    (e) =>
      e.code === 'ERR_LAUNCHER_MISMATCH'
        ? 'unset TASKLOAF_MPIEXEC, or point it at the mpiexec of the MPI the addon was built against'
        : 'load the MPI module the addon was built against, or set TASKLOAF_MPIEXEC to its mpiexec',
  );
}

function coresCheck(): Check {
  return attempt(
    'cores',
    () => {
      const allowed = allowedCpus().length;
      const cores = addon().cores().length;
      const detail = `${cores} core(s), ${addon().numaNodes()} NUMA node(s); this process may run on ${allowed} CPU(s) (availableParallelism ${availableParallelism()})`;
      return allowed < cores
        ? { verdict: 'warn', detail, fix: `only ${allowed} CPU(s) are allowed here (a cpuset or the batch job's allocation): run at most that many ranks, or add --oversubscribe` }
        : { verdict: 'ok', detail };
    },
    () => 'hwloc could not read the topology; check that /sys is mounted',
  );
}

function sharedMemoryCheck(): Check {
  return attempt(
    'shared memory',
    () => {
      const fs = statfsSync('/dev/shm');
      const free = fs.bavail * fs.bsize;
      // A segment made, mapped by a peer's way and removed, as ranks of a node do.
      const name = `taskloaf-doctor-${randomBytes(8).toString('hex')}`;
      const native = addon();
      try {
        new Uint8Array(native.shmCreate(name, 1 << 20, -1))[0] = 1;
        if (new Uint8Array(native.shmOpen(name, 0))[0] !== 1) throw new TaskloafError('ERR_SYSTEM', 'a shared segment read back other bytes than were written');
      } finally {
        native.shmUnlink(name);
      }
      const detail = `/dev/shm: ${(free / GiB).toFixed(1)} GiB free; a segment was made, mapped and removed`;
      return free < GiB
        ? { verdict: 'warn', detail, fix: 'under 1 GiB free in /dev/shm: arenas fill it; set TASKLOAF_ARENA_LIMIT lower or ask for a larger /dev/shm' }
        : { verdict: 'ok', detail };
    },
    () => 'ranks of a node share memory through /dev/shm: it must exist, be writable and have room (a tmpfs)',
  );
}

function schedulerCheck(env: NodeJS.ProcessEnv): Check {
  const installed = detectInstalled(env);
  const job = runningJob(env);
  const inJob = job ? `; inside ${job.scheduler} job ${job.id}` : '';
  if (installed) return { name: 'scheduler', verdict: 'ok', detail: `${installed.name} (${installed.submitProgram} on PATH)${inJob}` };
  return {
    name: 'scheduler',
    verdict: 'warn',
    detail: `no ${schedulers().map((s) => s.submitProgram).join(' or ')} on PATH${inJob}: taskloaf run works, submit does not`,
    fix: 'on a cluster, run where jobs are submitted (a login node) or load the scheduler module',
  };
}

/** Every check, in the order a job meets them; those that need the addon only when it loads. */
export function doctor(env: NodeJS.ProcessEnv = process.env): Check[] {
  const loads = addonCheck();
  const needsAddon = (name: string, check: () => Check): Check =>
    loads.verdict === 'fail' ? { name, verdict: 'fail', detail: 'not checked: the addon does not load', fix: 'fix the addon first' } : check();
  return [
    nodeCheck(),
    environmentCheck(env),
    loads,
    needsAddon('launcher', launcherCheck),
    needsAddon('cores', coresCheck),
    needsAddon('shared memory', sharedMemoryCheck),
    schedulerCheck(env),
  ];
}
