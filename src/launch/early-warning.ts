// Time-limit warnings (SIGUSR2) that come before `run()` listens for them.
// Imports nothing: the entry point sets this up before loading anything else.
let kept = 0;
let keeping = false;
const keep = (): void => {
  kept++;
};

/** From now until `takeEarlyWarnings()`, SIGUSR2 is counted instead of ending the process. */
export function keepEarlyWarnings(): void {
  if (keeping) return;
  keeping = true;
  process.on('SIGUSR2', keep);
}

/**
 * How many warnings came since `keepEarlyWarnings()`; stops counting. Call it
 * once a listener of one's own is in place, so no warning falls between.
 */
export function takeEarlyWarnings(): number {
  if (!keeping) return 0;
  keeping = false;
  process.off('SIGUSR2', keep);
  const n = kept;
  kept = 0;
  return n;
}
