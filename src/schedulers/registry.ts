// Layering: src/schedulers imports only src/errors.ts and Node builtins, so every layer (cli … arena) may import it.
//
// The schedulers taskloaf knows, in the order they are tried: when an id or an
// environment could be either, the first one reads it. The CLI's choices, the
// spec check, rendering, submitting, following jobs and the launcher all ask
// here; adding a scheduler is a folder beside slurm/ and one entry below.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { InvalidArgumentError, OptionError } from '../errors.js';
import type { Exec } from './commands.js';
import { pbs } from './pbs/index.js';
import type { Allocation, RunningJob, Scheduler } from './scheduler.js';
import { slurm } from './slurm/index.js';

const registered: Scheduler[] = [slurm, pbs];

/** Every registered scheduler, in the order they are tried. */
export function schedulers(): readonly Scheduler[] {
  return registered;
}

/** Their names: the `--scheduler` choices. */
export function schedulerNames(): string[] {
  return registered.map((s) => s.name);
}

/**
 * Adds a scheduler (tests register fakes); returns a function that removes it.
 * The shipped ones are listed above rather than registered from their folders,
 * so that no import order decides which schedulers exist.
 */
export function registerScheduler(s: Scheduler): () => void {
  if (registered.some((r) => r.name === s.name)) throw new InvalidArgumentError('ERR_INVALID_ARG_VALUE', `a scheduler named ${s.name} is registered already`);
  registered.push(s);
  return () => {
    const i = registered.indexOf(s);
    if (i >= 0) registered.splice(i, 1);
  };
}

/** `a`, `a or b`, `a, b or c`: for messages that list the choices. */
export function oneOf(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

export function findScheduler(name: string): Scheduler | undefined {
  return registered.find((s) => s.name === name);
}

/** The scheduler of that name; an OptionError on --scheduler otherwise. */
export function scheduler(name: string, source?: string): Scheduler {
  const s = findScheduler(name);
  if (!s) throw new OptionError('--scheduler', `must be ${oneOf(schedulerNames())}, got ${JSON.stringify(name)}`, source);
  return s;
}

/** The first scheduler whose submit command is on PATH, or null. */
export function detectInstalled(env: NodeJS.ProcessEnv = process.env): Scheduler | null {
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  return registered.find((s) => dirs.some((d) => existsSync(join(d, s.submitProgram)))) ?? null;
}

/** The first scheduler whose query command answers, or null (where jobs are followed). */
export async function detectAnswering(run: Exec): Promise<Scheduler | null> {
  for (const s of registered) {
    try {
      await run(s.queryProgram, ['--help']);
      return s;
    } catch {
      /* not installed */
    }
  }
  return null;
}

/** The job this process runs in, from the first scheduler whose variables are set; null outside one. */
export function runningJob(env: NodeJS.ProcessEnv = process.env): RunningJob | null {
  for (const s of registered) {
    const job = s.runningJob(env);
    if (job) return job;
  }
  return null;
}

/**
 * The allocation this process may launch into. A node file names the hosts
 * exactly, so an allocation that has one wins; else the first found.
 */
export function allocationFromEnv(env: NodeJS.ProcessEnv = process.env): Allocation | null {
  const found = registered.map((s) => s.allocation(env)).filter((a): a is Allocation => a !== null);
  return found.find((a) => a.nodefile !== undefined) ?? found[0] ?? null;
}

/** A rank's number as a scheduler's own launcher gave it (srun's SLURM_PROCID), or undefined. */
export function ownLauncherRank(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const s of registered) {
    const v = s.ownLauncher && env[s.ownLauncher.rankVariable];
    if (v !== undefined) return v;
  }
  return undefined;
}
