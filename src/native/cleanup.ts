// Work that must happen however the process ends: at exit, on SIGTERM/SIGINT,
// and before an abort (MPI_Abort ends the process without an 'exit' event).
const hooks = new Set<() => void>();
let installed = false;

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
  if (installed) return;
  installed = true;
  process.on('exit', runCleanups);
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    const handler = () => {
      runCleanups();
      process.removeListener(sig, handler);
      // Keep the signal's meaning: die by it unless the program handles it too.
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.on(sig, handler);
  }
}
