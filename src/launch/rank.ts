// Preloaded (node --import) into every rank that `taskloaf run` starts:
// makes any error end the whole job with one report, pins the rank to its
// core as early as possible, and reports where it runs.
import { installAbortOnError, launcherRank } from '../native/abort.js';
import { allowedCpus } from './affinity.js';
import { bindEarly, bindingLine } from '../runtime/world.js';
import { ledgerPath, noteExit, noteStart, ompiJobOf, privateDirectory, sweepMpiFiles } from './ledger.js';
import { endingSignal, onCleanup } from '../native/cleanup.js';
import { joinWatch } from './watch.js';
import { runPrefix, sweep } from '../arena/names.js';
import { reportTimeLimit, warnTimeLimit } from '../runtime/time-limit.js';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { rmSync } from 'node:fs';
import { readEnv } from '../env.js';

installAbortOnError();
// A program compiled to JS with source maps gets stacks of its .ts lines in
// reports (set before the program loads: it applies to modules loaded after).
process.setSourceMapsEnabled(true);
const binding = bindEarly();

// The launcher names ranks that die without an exit of their own.
const job = readEnv('TASKLOAF_JOB_ID');
const runId = readEnv('TASKLOAF_RUN_ID');
const me = launcherRank();
const channel = readEnv('TASKLOAF_WATCH');
const token = readEnv('TASKLOAF_WATCH_TOKEN');
let lost = false;
const watch =
  me !== undefined && channel && token
    ? joinWatch(channel, token, me, process.pid, hostname(), () => {
        // The launcher is gone and cannot end the job: nobody reads the
        // ledger now, so it goes at once (before mpiexec, losing the launcher
        // too, can kill this rank), with Open MPI's files of this node (of
        // this rank's own Open MPI job) and the run's arena segments here,
        // every rank's: the first rank to end may get the others killed
        // (Hydra does) before their own exit hooks run. Unlinked names stay
        // mapped where they are in use. Then the rank ends as on a hangup
        // (its exit hooks run, status 129).
        lost = true;
        if (job && runId) sweep(runPrefix(job, runId));
        sweepMpiFiles([ompiJobOf()]);
        try {
          if (privateDirectory(dirname(channel))) rmSync(ledgerPath(channel), { force: true });
        } catch {
          /* another rank removed it first */
        }
        process.stderr.write(`taskloaf: rank ${me} on ${hostname()}: taskloaf run is gone; ending this rank\n`);
        process.kill(process.pid, 'SIGHUP');
      })
    : null;
if (channel && me !== undefined) {
  noteStart(channel, me);
  // At exit, on a signal, and before an abort: every way a rank ends by itself.
  onCleanup(() => {
    if (!lost) noteExit(channel, me, endingSignal());
  });
}

// The job's time limit is near (the launcher passes the scheduler's warning
// on as SIGUSR2): run this rank's hooks, then tell the launcher. Without a
// listener SIGUSR2 would end the process. The listener is in place before the
// hello above reaches the launcher, which signals late ranks only after it.
reportTimeLimit(
  (err) => process.stderr.write(`taskloaf: a time-limit hook failed on rank ${me ?? '?'}: ${err instanceof Error ? err.stack : String(err)}\n`),
  () => watch?.send('warned'),
);
process.on('SIGUSR2', () => warnTimeLimit('signal'));

if (readEnv('TASKLOAF_REPORT_BINDINGS')) {
  const rank = launcherRank() ?? '?';
  const line = binding
    ? bindingLine(rank, binding)
    : `taskloaf: rank ${rank} cpus ${allowedCpus().join(',')} (binding unknown before MPI starts)`;
  process.stderr.write(line + '\n');
}
