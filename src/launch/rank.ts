// Preloaded (node --import) into every rank that `taskloaf run` starts:
// makes any error end the whole job with one report, pins the rank to its
// core as early as possible, and reports where it runs.
import { installAbortOnError, launcherRank } from '../native/abort.js';
import { allowedCpus } from './affinity.js';
import { bindingLine, placeEarly } from '../runtime/world.js';

installAbortOnError();
const placement = placeEarly();

if (process.env.TASKLOAF_REPORT_BINDINGS === '1') {
  const rank = launcherRank() ?? '?';
  const line = placement
    ? bindingLine(rank, placement)
    : `taskloaf: rank ${rank} cpus ${allowedCpus().join(',')} (placement unknown before MPI starts)`;
  process.stderr.write(line + '\n');
}
