// Walltime and memory as Slurm writes them: `--time=D-HH:MM:SS`, `--mem=4G`.
import { mebibytes } from '../quantities.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** Slurm's `--time`: `HH:MM:SS`, or `D-HH:MM:SS` from a day on; `UNLIMITED`. */
export function slurmWalltime(seconds: number): string {
  if (seconds === Number.POSITIVE_INFINITY) return 'UNLIMITED';
  const d = Math.floor(seconds / 86400);
  const rest = seconds % 86400;
  const hms = `${pad(Math.floor(rest / 3600))}:${pad(Math.floor((rest % 3600) / 60))}:${pad(rest % 60)}`;
  return d > 0 ? `${d}-${hms}` : hms;
}

/** Slurm's `--mem`/`--mem-per-cpu` value: the largest exact unit. */
export function slurmMemory(bytes: number): string {
  const mib = mebibytes(bytes);
  if (mib % (1024 * 1024) === 0) return `${mib / (1024 * 1024)}T`;
  if (mib % 1024 === 0) return `${mib / 1024}G`;
  return `${mib}M`;
}
