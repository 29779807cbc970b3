// `taskloaf status [id...]`: states in one vocabulary.
import type { CommandModule } from 'yargs';
import { schedulerNames } from '../../schedulers/registry.js';
import { jobStatus, listJobs } from '../../launch/jobs/jobs.js';
import type { JobStatus } from '../../schedulers/states.js';
import type { Context } from './context.js';

export function statusCommand(ctx: Context): CommandModule {
  return {
    command: 'status [ids..]',
    describe: "jobs' states: pending, running, completing, completed, failed, cancelled, timeout or unknown",
    builder: (y) =>
      y
        .positional('ids', { type: 'string', array: true, describe: 'job ids (default: your jobs the scheduler lists)' })
        .option('scheduler', { choices: schedulerNames(), describe: 'default: the one that took the job, else the one installed' })
        .option('all', { type: 'boolean', default: false, describe: 'without ids: also the jobs that ended lately' })
        .option('json', { type: 'boolean', default: false, describe: 'one JSON array' }),
    handler: async (a) => {
      const ids = ((a.ids as string[] | undefined) ?? []).map(String);
      const opts = a.scheduler ? { scheduler: a.scheduler as string } : {};
      const rows: JobStatus[] = ids.length > 0 ? await Promise.all(ids.map((id) => jobStatus(id, opts))) : await listJobs({ ...opts, all: a.all as boolean });
      if (a.json) {
        ctx.out.write(JSON.stringify(rows) + '\n');
        return;
      }
      for (const r of rows) {
        const extra = [r.exitCode !== undefined ? `exit ${r.exitCode}` : '', r.reason ?? ''].filter(Boolean).join(', ');
        ctx.out.write(`${r.id}\t${r.state}${r.name ? `\t${r.name}` : ''}${extra ? `\t(${extra})` : ''}\n`);
      }
    },
  };
}
