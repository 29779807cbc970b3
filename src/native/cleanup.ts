import { constants } from 'node:os';

// Work that must happen however the process ends: at exit, on SIGTERM/SIGINT,
// and before an abort (MPI_Abort ends the process without an 'exit' event).
// One state per process, in the global symbol registry: the rank preload and
// the program may load this module from different copies (dist and src), and
// an abort from either must run the hooks of both.
interface CleanupState {
  hooks: Set<() => void>;
  installed: boolean;
  signalled: NodeJS.Signals | null;
}
const KEY = Symbol.for('taskloaf.cleanup');
const state = ((globalThis as unknown as Record<symbol, CleanupState | undefined>)[KEY] ??= {
  hooks: new Set(),
  installed: false,
  signalled: null,
});
const hooks = state.hooks;

/** The signal this process is ending on (SIGTERM from the launcher...), if any. */
export function endingSignal(): NodeJS.Signals | null {
  return state.signalled;
}

export function onCleanup(fn: () => void): () => void {
  hooks.add(fn);
  install();
  return () => hooks.delete(fn);
}

/** Runs every hook once; a failing hook does not stop the others. */
export function runCleanups(): void {
  for (const fn of [...hooks]) {
    hooks.delete(fn);
    try {
      fn();
    } catch {
      /* the process is ending; keep going */
    }
  }
}

function install(): void {
  if (state.installed) return;
  state.installed = true;
  process.on('exit', runCleanups);
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    // The signal ends the rank: remove what it owns, let the other listeners
    // of this signal run, then end as a process killed by it would (status
    // 128 + signal number). Waiting for other listeners to decide could leave
    // two handlers each waiting for the other, and a rank that never ends.
    const handler = () => {
      state.signalled = sig;
      runCleanups();
      setImmediate(() => process.exit(128 + constants.signals[sig]));
    };
    process.on(sig, handler);
  }
}
