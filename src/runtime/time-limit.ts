// Hooks for the end of a batch job's time: a scheduler that warns before the
// walltime (Slurm's --signal, set by `taskloaf submit --signal-before`) makes
// `taskloaf run` pass SIGUSR2 to every rank, and each rank runs the hooks it
// registered — typically a checkpoint. With --requeue-on-timeout the job is
// then requeued and starts again (SLURM_RESTART_COUNT tells a restart).
//
// The warning is a state, not an event: Slurm may send it within a second of
// the job's start, while a rank is still loading the program. A warning that
// comes before the program has started the runtime waits for it (the hooks
// are registered around start()/run()); a hook registered after the warning
// runs at once; a second warning changes nothing.
//
// A rank warned by the signal passes the warning on to every other rank over
// MPI: across nodes mpirun would pass the signal to ranks that may still be
// loading node (which a signal ends), and a message waits for its rank.
import { InvalidArgumentError } from '../errors.js';

type Hook = () => unknown;

interface State {
  hooks: Hook[];
  /** The warning has come. */
  warned: boolean;
  /** start() has been called (the program is loaded far enough to have its hooks). */
  ready: boolean;
  /** Settles when the hooks of the warning have run; set once they start. */
  running: Promise<number> | null;
  report: (err: unknown) => void;
  /** Told once, when the hooks of the warning have settled. */
  done: (count: number) => void;
  /** The warning came as a signal to this rank (not from another rank). */
  signalled: boolean;
  /** Called once when a signal warns this rank: the runtime passes it on. */
  onSignal: (() => void) | null;
}

// Shared through the global symbol registry: the rank preload and the user's
// program may load this module from different copies (dist and src).
const KEY = Symbol.for('taskloaf.timeLimit');
const g = globalThis as unknown as Record<symbol, State | undefined>;
const state = (): State =>
  (g[KEY] ??= {
    hooks: [],
    warned: false,
    ready: false,
    running: null,
    report: (err) => process.stderr.write(`taskloaf: a time-limit hook failed: ${err instanceof Error ? err.stack : String(err)}\n`),
    done: () => {},
    signalled: false,
    onSignal: null,
  });

/** How this rank reports a failed hook, and tells that its hooks have run (the rank preload sets them). */
export function reportTimeLimit(report: (err: unknown) => void, done: (count: number) => void): void {
  const s = state();
  s.report = report;
  s.done = done;
}

/** Runs `hook` on this rank when the job's time limit is near (at once if it already is); returns a function that removes it. */
export function onTimeLimit(hook: Hook): () => void {
  if (typeof hook !== 'function') throw new InvalidArgumentError('ERR_INVALID_ARG_TYPE', `onTimeLimit(hook): hook must be a function, got ${typeof hook}`);
  const s = state();
  s.hooks.push(hook);
  // Late: the warning's hooks are running or have run; this one runs now.
  if (s.running) void settle([hook], s.report);
  return () => {
    const i = s.hooks.indexOf(hook);
    if (i >= 0) s.hooks.splice(i, 1);
  };
}

/**
 * The warning has reached this rank: as SIGUSR2 (from the launcher, or
 * mpirun) or from another rank. Runs every hook once the program is ready,
 * then tells `done` how many ran; failures go to `report`, never thrown.
 * Repeated warnings are ignored.
 */
export function warnTimeLimit(from: 'signal' | 'rank'): void {
  const s = state();
  if (from === 'signal' && !s.signalled) {
    s.signalled = true;
    s.onSignal?.();
  }
  if (s.warned) return;
  s.warned = true;
  if (s.ready) runWarning(s);
}

/** Calls `pass` once when a signal warns this rank (at once if one has). */
export function onSignalledTimeLimit(pass: () => void): void {
  const s = state();
  s.onSignal = pass;
  if (s.signalled) pass();
}

/** The runtime has started: a warning that came earlier runs its hooks now. */
export function timeLimitReady(): void {
  const s = state();
  if (s.ready) return;
  s.ready = true;
  // After the current turn: hooks registered right after start() are in.
  if (s.warned) setImmediate(() => runWarning(s));
}

function runWarning(s: State): void {
  if (s.running) return;
  s.running = settle([...s.hooks], s.report);
  void s.running.then((n) => s.done(n));
}

async function settle(list: Hook[], report: (err: unknown) => void): Promise<number> {
  const results = await Promise.allSettled(list.map(async (h) => h()));
  for (const r of results) if (r.status === 'rejected') report(r.reason);
  return list.length;
}
