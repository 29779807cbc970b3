// Hooks for the end of a batch job's time: a scheduler that warns before the
// walltime (Slurm's --signal, set by `taskloaf submit --signal-before`) makes
// `taskloaf run` pass SIGUSR2 to every rank, and each rank runs the hooks it
// registered — typically a checkpoint. With --requeue-on-timeout the job is
// then requeued and starts again (SLURM_RESTART_COUNT tells a restart).

type Hook = () => unknown;

// Shared through the global symbol registry: the rank preload and the user's
// program may load this module from different copies (dist and src).
const KEY = Symbol.for('taskloaf.timeLimitHooks');
const g = globalThis as unknown as Record<symbol, Hook[] | undefined>;
const hooks = (): Hook[] => (g[KEY] ??= []);

/** Runs `hook` on this rank when the job's time limit is near; returns a function that removes it. */
export function onTimeLimit(hook: Hook): () => void {
  if (typeof hook !== 'function') throw new TypeError('onTimeLimit(hook): hook must be a function');
  hooks().push(hook);
  return () => {
    const list = hooks();
    const i = list.indexOf(hook);
    if (i >= 0) list.splice(i, 1);
  };
}

/** Runs every hook (concurrently) and resolves when all have settled; failures are reported, not thrown. */
export async function runTimeLimitHooks(report: (err: unknown) => void): Promise<number> {
  const list = [...hooks()];
  const results = await Promise.allSettled(list.map(async (h) => h()));
  for (const r of results) if (r.status === 'rejected') report(r.reason);
  return list.length;
}
