// Job ids in any registered scheduler's forms: the first scheduler (in
// registry order) that reads an id takes it apart. Warnings may come before
// the id in a submit command's output, so the last line that holds one counts.
import { SchedulerError } from '../errors.js';
import { schedulers } from './registry.js';
import type { JobId } from './scheduler.js';

export type { JobId } from './scheduler.js';
export { sameJob } from './pbs/jobid.js';

/** One id in any of the accepted forms, or null. */
export function parseJobId(text: string): JobId | null {
  for (const s of schedulers()) {
    const id = s.parseJobId(text);
    if (id) return id;
  }
  return null;
}

/** The id from a submit command's output; ERR_JOB_ID with the output if none. */
export function jobIdFromOutput(output: string, command: string[] = []): JobId {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  for (let i = lines.length - 1; i >= 0; i--) {
    const id = parseJobId(lines[i]!);
    if (id) return id;
  }
  throw new SchedulerError('ERR_JOB_ID', `no job id in the output of ${command[0] ?? 'the submit command'}: ${JSON.stringify(output.trim())}`, command, output);
}
