// Walltime and memory as PBS writes them: `walltime=HH:MM:SS`, `mem=4gb`.
import { mebibytes } from '../quantities.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** PBS's `walltime=`: `HH:MM:SS` with as many hours as needed (no days field). */
export function pbsWalltime(seconds: number): string {
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
}

/** PBS's `mem=` value: the largest exact unit, lowercase (`4gb`, `512mb`). */
export function pbsMemory(bytes: number): string {
  const mib = mebibytes(bytes);
  if (mib % (1024 * 1024) === 0) return `${mib / (1024 * 1024)}tb`;
  if (mib % 1024 === 0) return `${mib / 1024}gb`;
  return `${mib}mb`;
}
