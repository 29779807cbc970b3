// Preloaded (node --import) into every rank that `taskloaf run` starts:
// makes any error end the whole job with one report, and reports bindings.
import { hostname } from 'node:os';
import { installAbortOnError, launcherRank } from '../native/abort.js';
import { allowedCpus } from './affinity.js';

installAbortOnError();

if (process.env.TASKLOAF_REPORT_BINDINGS === '1') {
  const cpus = allowedCpus();
  const how = cpus.length === 1 ? 'bound by the launcher' : 'not bound';
  process.stderr.write(`taskloaf: rank ${launcherRank() ?? '?'} host ${hostname()} cpus ${cpus.join(',')} (${how})\n`);
}
