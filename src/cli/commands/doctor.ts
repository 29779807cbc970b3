// `taskloaf doctor`: checks what a job here needs and says what to fix.
import type { CommandModule } from 'yargs';
import { doctor } from '../../launch/doctor.js';
import { EXIT, type Context } from './context.js';

export function doctorCommand(ctx: Context): CommandModule {
  return {
    command: 'doctor',
    describe: 'check this environment for taskloaf: Node, the addon, MPI, cores, /dev/shm, the scheduler',
    builder: (y) => y.option('json', { type: 'boolean', default: false, describe: 'one JSON object per check' }),
    handler: (a) => {
      const checks = doctor();
      for (const c of checks) {
        if (a.json) ctx.out.write(JSON.stringify(c) + '\n');
        else ctx.out.write(`${c.verdict.padEnd(4)}  ${c.name}: ${c.detail}${c.fix ? `\n      fix: ${c.fix}` : ''}\n`);
      }
      if (checks.some((c) => c.verdict === 'fail')) ctx.code = EXIT.doctor;
    },
  };
}
