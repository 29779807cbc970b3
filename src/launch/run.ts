// `taskloaf run`: starts the script on N local ranks through mpiexec and
// returns the job's exit status.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, constants } from 'node:os';
import { createRequire } from 'node:module';
import { extname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LaunchError } from '../errors.js';
import { readEnv } from '../env.js';
import { findLauncher, localCommand, type Command } from './mpiexec.js';
import { buildMismatch } from '../native/addon.js';
import { allocationCommand, allocationLaunchers, detectAllocation } from './allocation.js';
import { jobIdFromEnv, newJobId, newRunId, runPrefix, sweep } from '../arena/names.js';
import { deathLines, deathsIn, firstDeath, readLedger, sweepMpiFiles } from './ledger.js';
import { watchRanks, type Watch } from './watch.js';
import { takeEarlyWarnings } from './early-warning.js';
import { ReportFilter } from './quiet.js';
import { oneOf, runningJob, schedulers } from '../schedulers/registry.js';

export interface RunOptions {
  /** Ranks; default: the allocation's tasks inside a batch job, else 1. */
  np?: number;
  /**
   * auto: the allocation's launcher inside a batch job, local mpiexec outside;
   * mpiexec/srun: that launcher inside the allocation (srun, or another
   * scheduler's own: see runLaunchers); local: ignore any allocation.
   */
  launcher?: string;
  oversubscribe?: boolean;
  bind?: 'core' | 'self' | 'none';
  tcp?: boolean;
  reportBindings?: boolean;
  /** Treat groups of this machine's ranks as that many nodes (TASKLOAF_NODES). */
  simulateNodes?: number;
  script: string;
  args?: string[];
  /** Options for node itself on every rank (--max-old-space-size=8192, --cpu-prof, ...). */
  nodeOptions?: string[];
}

/** Lines of the launchers' death notices (the rest passes straight through). */
const NOTICE = /PID \d+|EXIT CODE:|EXIT STRING:|Process name:|Exit code:/;

const TS = new Set(['.ts', '.mts', '.cts', '.tsx']);
const JS = new Set(['.js', '.mjs', '.cjs']);

/** The node command line each rank runs: node's own options, preload, TS loader if needed, script. */
export function rankProgram(script: string, args: string[], nodeOptions: string[] = []): string[] {
  const path = resolve(script);
  if (!existsSync(path)) throw new LaunchError('ERR_SCRIPT_NOT_FOUND', `script not found: ${script}`);
  // Anything else would start every rank only for each to fail loading it (a .py: a syntax error per rank).
  if (!TS.has(extname(path)) && !JS.has(extname(path))) {
    throw new LaunchError('ERR_SCRIPT_TYPE', `${script} is not a JavaScript or TypeScript file: taskloaf runs ${[...JS, ...TS].join(', ')} files`);
  }
  for (const o of nodeOptions) {
    // One option per value, as node parses it: a value not starting with '-'
    // would be taken for the script (and the real script for its argument).
    if (!/^--?[A-Za-z]/.test(o) || o.includes('\0')) {
      throw new LaunchError('ERR_INVALID_OPTION', `--node-option takes one option for node, starting with '-' (--node-option=--max-old-space-size=8192), got '${o}'`);
    }
  }
  const here = fileURLToPath(import.meta.url);
  const bootstrap = resolve(here, '..', `rank${extname(here)}`);
  const node = [process.execPath, ...nodeOptions];
  if (TS.has(extname(path)) || extname(here) === '.ts') {
    const tsx = createRequire(import.meta.url).resolve('tsx/esm');
    node.push('--import', pathToFileURL(tsx).href);
  }
  node.push('--import', pathToFileURL(bootstrap).href, path, ...args);
  return node;
}

/** The `--launcher` values: auto, mpiexec, the schedulers' own (srun), local. */
export function runLaunchers(): string[] {
  return ['auto', ...allocationLaunchers(), 'local'];
}

/** Validates options and builds the launch command (local, or into the allocation). */
export function runCommand(opts: RunOptions, env: NodeJS.ProcessEnv = process.env): Command {
  if (opts.np !== undefined && (!Number.isInteger(opts.np) || opts.np < 1)) {
    throw new LaunchError('ERR_INVALID_OPTION', `-n/--np must be a positive integer, got ${opts.np}`);
  }
  const launcher = opts.launcher ?? 'auto';
  if (!runLaunchers().includes(launcher)) {
    throw new LaunchError('ERR_INVALID_OPTION', `--launcher must be ${oneOf(runLaunchers())}, got ${launcher}`);
  }
  const alloc = launcher === 'local' ? null : detectAllocation(env);
  if (!alloc && launcher !== 'auto' && launcher !== 'local') {
    const variables = oneOf(schedulers().map((s) => s.allocationVariable));
    throw new LaunchError('ERR_NO_ALLOCATION', `--launcher ${launcher} launches into a batch job's allocation, and there is none (no ${variables})`);
  }
  const program = rankProgram(opts.script, opts.args ?? [], opts.nodeOptions);
  const np = opts.np ?? alloc?.tasks ?? 1;
  const cores = availableParallelism();
  let cmd: Command;
  if (alloc) {
    cmd = allocationCommand(
      alloc,
      findLauncher(),
      { np, bind: opts.bind ?? 'core', tcp: opts.tcp ?? false, launcher: launcher === 'auto' ? 'mpiexec' : launcher, program },
      env,
    );
  } else {
    if (np > cores && !opts.oversubscribe) {
      throw new LaunchError(
        'ERR_OVERSUBSCRIBED',
        `-n ${np} asks for more ranks than this machine has cores (${cores}); add --oversubscribe to run anyway`,
      );
    }
    cmd = localCommand(
      findLauncher(),
      { np, oversubscribe: opts.oversubscribe ?? false, bind: opts.bind ?? 'core', tcp: opts.tcp ?? false, program },
      env,
    );
  }
  if (opts.reportBindings) cmd.env.TASKLOAF_REPORT_BINDINGS = '1';
  if (opts.simulateNodes !== undefined) {
    if (!Number.isInteger(opts.simulateNodes) || opts.simulateNodes < 1 || opts.simulateNodes > np) {
      throw new LaunchError('ERR_INVALID_OPTION', `--simulate-nodes must be an integer from 1 to -n (${np}), got ${opts.simulateNodes}`);
    }
    cmd.env.TASKLOAF_NODES = String(opts.simulateNodes);
  }
  // The launcher binds (core), the ranks pin themselves (self), or neither.
  if (opts.bind === 'none') cmd.env.TASKLOAF_BIND = 'none';
  else delete cmd.env.TASKLOAF_BIND;
  // One job id for every rank, and a fresh random run id, never inherited:
  // with it the segments' names are this run's alone, even beside another
  // run of the same job (two in one Slurm step), and nobody can guess them.
  cmd.env.TASKLOAF_JOB_ID = jobIdFromEnv(env) ?? newJobId();
  cmd.env.TASKLOAF_RUN_ID = newRunId();
  if (!alloc && np > cores) cmd.env.TASKLOAF_OVERSUBSCRIBED = '1';
  if (!alloc || alloc.nodes <= 1) cmd.localRanks = np;
  return cmd;
}

/**
 * The scheduler's warning that the time limit is near (SIGUSR2, from Slurm's
 * --signal=B:USR2@T): every rank runs its time-limit hooks. With
 * TASKLOAF_REQUEUE=1 (submit --requeue-on-timeout) the job is requeued once
 * the ranks of this node have run them, or after TASKLOAF_REQUEUE_GRACE
 * seconds (default 60), whichever comes first.
 *
 * Slurm may warn within a second of the start, before every rank is up: the
 * warning is kept, and a rank that says hello later is told then. The ranks
 * of this node are told directly, once their listener is in place (a rank
 * still loading node would die of the signal); a rank told passes it on to
 * every other rank over MPI, which reaches the other nodes' ranks whenever
 * they are up. Only when no rank of this node has said hello 10 s after the
 * warning is it passed to mpirun or srun, which signal every rank they
 * started, loaded or not.
 */
function relayTimeLimit(
  child: () => ChildProcess | undefined,
  cmd: Command,
  watch: Watch,
  requeueOn: boolean,
  grace: number,
): () => void {
  const env = cmd.env;
  let near = false;
  // Only ranks that said this run's token, and only while their process is
  // still one of this run's (watch.tell checks): never a pid a hello named.
  watch.onHello = (rank) => {
    if (near) watch.tell(rank);
  };
  return () => {
    if (near) return;
    near = true;
    if (cmd.localRanks === undefined && cmd.forwardsUserSignals) {
      setTimeout(() => {
        if (watch.connected() === 0) child()?.kill('SIGUSR2');
      }, 10_000).unref();
    }
    // This node's ranks are told directly too: a second warning changes nothing for a rank.
    for (const rank of watch.ranks()) watch.tell(rank);
    // Only a scheduler that can requeue a job warns before its walltime (Slurm: scontrol requeue).
    const job = runningJob(env);
    const requeueCommand = job ? schedulers().find((s) => s.name === job.scheduler)?.requeueCommand?.(job.id) : undefined;
    if (!requeueOn || !job || !requeueCommand) return;
    const jobId = job.id;
    const ranks = cmd.localRanks ?? watch.connected();
    let warned = 0;
    let done = false;
    const requeue = (why: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      process.stderr.write(`taskloaf: time limit near; ${why}; requeueing job ${jobId}\n`);
      const [command, ...args] = requeueCommand;
      const r = spawnSync(command!, args, { encoding: 'utf8' });
      if (r.status !== 0) process.stderr.write(`taskloaf: ${requeueCommand.join(' ')} failed: ${(r.stderr || r.stdout || String(r.error)).trim()}\n`);
    };
    const timer = setTimeout(() => requeue(`${warned} of ${ranks} ranks ran their hooks in ${grace} s`), grace * 1000);
    // The watch passes on one `warned` per rank, however often a rank says it.
    watch.onEvent = (_rank, event) => {
      if (event === 'warned' && ++warned >= Math.max(ranks, watch.connected())) requeue(`every rank ran its hooks`);
    };
  };
}

/**
 * mpiexec gives rank 0 a terminal for stdout even when ours is a file or a
 * pipe, and node then colours what it prints: without a terminal of our own
 * the ranks print plain text. A NO_COLOR or FORCE_COLOR of the user's wins.
 */
export function plainUnlessTerminal(env: NodeJS.ProcessEnv, terminal: boolean): void {
  if (terminal || env.NO_COLOR !== undefined || env.FORCE_COLOR !== undefined) return;
  env.FORCE_COLOR = '0';
}

/** Runs the job; resolves to its exit status (128 + signal when killed). */
export function run(opts: RunOptions): Promise<number> {
  const cmd = runCommand(opts);
  // Said once here, not by every rank: the job runs, but not as measured.
  for (const why of buildMismatch()) process.stderr.write(`taskloaf: warning: ${why}; rebuild it for this one: npm run build:native (TASKLOAF_BUILD keeps builds apart)\n`);
  plainUnlessTerminal(cmd.env, process.stdout.isTTY === true);
  // Checked before anything starts: a bad value found only when the warning
  // comes would lose the requeue.
  const requeueOn = readEnv('TASKLOAF_REQUEUE', cmd.env);
  const grace = readEnv('TASKLOAF_REQUEUE_GRACE', cmd.env);
  const job = readEnv('TASKLOAF_JOB_ID', cmd.env)!;
  const runId = readEnv('TASKLOAF_RUN_ID', cmd.env)!;
  // The ranks' private channel exists before any rank does; without it the
  // job would run unwatched, so a failure is the job's.
  const watch = watchRanks(job);
  Object.assign(cmd.env, watch.env);
  // Listening for the warning before any rank exists: it is kept for them.
  let child: ChildProcess | undefined;
  const relay = relayTimeLimit(() => child, cmd, watch, requeueOn, grace);
  const onWarn = () => relay();
  process.on('SIGUSR2', onWarn);
  return watch.listening.then(
    () => launch(cmd, runPrefix(job, runId), watch, onWarn, (c) => (child = c)),
    (err: unknown) => {
      process.off('SIGUSR2', onWarn);
      throw err;
    },
  );
}

function launch(cmd: Command, names: string, watch: Watch, onWarn: () => void, started: (child: ChildProcess) => void): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    // Output passes through us: the launcher's death notices are read on the
    // way (Open MPI writes them to stderr, MPICH's Hydra to stdout).
    const child = spawn(cmd.command, cmd.args, { env: cmd.env, stdio: ['inherit', 'pipe', 'pipe'] });
    started(child);
    // A warning that came while the command line was loading is kept like one that comes now.
    if (takeEarlyWarnings() > 0) onWarn();
    const notices: string[] = [];
    const passThrough = (stream: NodeJS.ReadableStream, to: NodeJS.WritableStream) => {
      let partial = '';
      stream.pipe(to, { end: false });
      stream.on('data', (chunk: Buffer) => {
        const lines = (partial + chunk.toString('latin1')).split('\n');
        partial = lines.pop()!.slice(-4096);
        for (const l of lines) if (NOTICE.test(l) && notices.length < 1000) notices.push(l);
      });
    };
    passThrough(child.stdout!, process.stdout);
    // stderr goes line by line (latin1 keeps the bytes as they came) through
    // the filter that keeps one report per failure.
    const filter = new ReportFilter((l) => process.stderr.write(Buffer.from(l + '\n', 'latin1')));
    let partialErr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      const lines = (partialErr + chunk.toString('latin1')).split('\n');
      partialErr = lines.pop()!;
      for (const l of lines) {
        if (NOTICE.test(l) && notices.length < 1000) notices.push(l);
        filter.line(l);
      }
    });
    const stderrEnded = new Promise<void>((done) =>
      child.stderr!.on('end', () => {
        if (partialErr) filter.line(partialErr);
        filter.end();
        done();
      }),
    );
    // A signal to us (Ctrl-C, scancel) stops the job; the job's status is then
    // ours, 128 + the signal, as for any program interrupted.
    let stoppedBy: NodeJS.Signals | null = null;
    const forward = (sig: NodeJS.Signals) => () => {
      stoppedBy ??= sig;
      child.kill(sig);
    };
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    child.on('error', (err) => {
      process.off('SIGUSR2', onWarn);
      watch.close();
      reject(new LaunchError('ERR_LAUNCH_FAILED', `could not start ${cmd.command}: ${err.message}`));
    });
    child.on('close', (code, signal) => void stderrEnded.then(() => closed(code, signal)));
    const closed = (code: number | null, signal: NodeJS.Signals | null) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      process.off('SIGUSR2', onWarn);
      // The ledger lives in the watch's directory, which closing removes.
      const ledger = readLedger(watch.path);
      watch.close();
      if (stoppedBy) {
        process.stderr.write(`taskloaf: stopped by ${stoppedBy}; every rank was ended\n`);
      } else if (code !== 0) {
        for (const line of deathLines(firstDeath(watch.closed, ledger, deathsIn(notices.join('\n'), ledger)))) process.stderr.write(line + '\n');
      }
      // Whatever a killed rank could not remove, the launcher does: this
      // run's segments, and Open MPI's own shared-memory files of the job
      // its ranks reported.
      sweep(names);
      sweepMpiFiles(ledger.map((r) => r.ompiJob));
      if (stoppedBy) resolvePromise(128 + constants.signals[stoppedBy]);
      else resolvePromise(code ?? 128 + (signal ? (constants.signals[signal] ?? 1) : 1));
    };
  });
}
