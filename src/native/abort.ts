// Abort-on-error: an uncaught exception or unhandled rejection on one rank
// ends the whole job (MPI_Abort) after one report naming the rank and host,
// so no peer hangs waiting for a rank that is gone.
import { hostname } from 'node:os';
import { addon } from './addon.js';
import { runCleanups } from './cleanup.js';
import { ownLauncherRank } from '../schedulers/registry.js';
import { formatFailure } from './report.js';

let installed = false;

/** This rank's number as the launcher gave it (valid before MPI_Init). */
export function launcherRank(): number | undefined {
  const v = process.env.OMPI_COMM_WORLD_RANK ?? process.env.PMI_RANK ?? process.env.PMIX_RANK ?? ownLauncherRank();
  return v === undefined ? undefined : Number(v);
}

function report(kind: string, err: unknown): void {
  const rank = launcherRank();
  const where = `rank ${rank ?? '?'} on ${hostname()}`;
  const text = formatFailure(err);
  process.stderr.write(`taskloaf: ${kind} on ${where}:\n${text}\n`);
}

function die(code = 1): never {
  runCleanups();
  const native = addon();
  const { initialized, finalized } = native.state();
  if (initialized && !finalized) {
    // The launcher forwards our stderr asynchronously (MPICH's Hydra may drop
    // what it has not yet forwarded when the abort kills us): give it a moment.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    native.abort(code);
  }
  process.exit(code);
}

/** Reports `err` once, as `kind`, and ends the whole job non-zero. */
export function abortJob(kind: string, err: unknown): never {
  report(kind, err);
  die();
}

/** Ends the whole job with `code` after one line saying why, headed by rank and host. */
export function endJob(why: string, code: number): never {
  process.stderr.write(`taskloaf: rank ${launcherRank() ?? '?'} on ${hostname()} ${why}; ending the job\n`);
  die(code);
}

export function installAbortOnError(): void {
  if (installed) return;
  installed = true;
  process.on('uncaughtException', (err) => {
    report('uncaught exception', err);
    die();
  });
  process.on('unhandledRejection', (reason) => {
    report('unhandled rejection', reason);
    die();
  });
}
